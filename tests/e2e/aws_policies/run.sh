#!/usr/bin/env bash
# The AWS policy data sources with the real terraform, in the official
# docs' example configurations: the documents come out as JSON with what
# the official provider puts in them, the plans after apply are empty, no
# request reaches the workspace (they are computed locally), and invalid
# arguments fail with diagnostics at the attribute.
source "$(dirname "$0")/../lib.sh"
start_emulator

config_text <<'EOF_TF'
variable "aws_account_id" { default = "123456789098" }
variable "prefix" { default = "demo" }

data "databricks_aws_crossaccount_policy" "this" {}

data "databricks_aws_crossaccount_policy" "restricted" {
  policy_type       = "restricted"
  aws_account_id    = "123456789012"
  vpc_id            = "vpc-abcdefg12345"
  region            = "us-west-2"
  security_group_id = "sg-12345678"
  pass_roles        = ["arn:aws:iam::123456789012:role/data"]
}

data "databricks_aws_assume_role_policy" "this" {
  external_id = "00000000-1111-2222-3333-444444444444"
}

data "databricks_aws_assume_role_policy" "logs" {
  external_id      = "00000000-1111-2222-3333-444444444444"
  for_log_delivery = true
}

data "databricks_aws_bucket_policy" "this" {
  bucket = "my-root-bucket"
}

data "databricks_aws_bucket_policy" "ds" {
  full_access_role         = "arn:aws:iam::123456789098:role/data_role"
  bucket                   = "my-ds-bucket"
  databricks_e2_account_id = "00000000-1111-2222-3333-444444444444"
}

data "databricks_aws_unity_catalog_policy" "this" {
  aws_account_id = var.aws_account_id
  bucket_name    = "databricks-bucket"
  role_name      = "${var.prefix}-uc-access"
  kms_name       = "arn:aws:kms:us-west-2:111122223333:key/databricks-kms"
}

data "databricks_aws_unity_catalog_assume_role_policy" "this" {
  aws_account_id = var.aws_account_id
  role_name      = "${var.prefix}-uc-access"
  external_id    = "12345"
}

output "crossaccount" { value = data.databricks_aws_crossaccount_policy.this.json }
output "restricted" { value = data.databricks_aws_crossaccount_policy.restricted.json }
output "assume" { value = data.databricks_aws_assume_role_policy.this.json }
output "logs" { value = data.databricks_aws_assume_role_policy.logs.json }
output "bucket" { value = data.databricks_aws_bucket_policy.this.json }
output "ds" { value = data.databricks_aws_bucket_policy.ds.json }
output "uc" { value = data.databricks_aws_unity_catalog_policy.this.json }
output "uc_assume" { value = data.databricks_aws_unity_catalog_assume_role_policy.this.json }
output "ids" {
  value = [
    data.databricks_aws_crossaccount_policy.this.id,
    data.databricks_aws_assume_role_policy.this.id,
    data.databricks_aws_bucket_policy.this.id,
    data.databricks_aws_unity_catalog_policy.this.id,
    data.databricks_aws_unity_catalog_assume_role_policy.this.id,
  ]
}
output "defaults" {
  value = [
    data.databricks_aws_crossaccount_policy.this.policy_type,
    data.databricks_aws_crossaccount_policy.this.aws_partition,
    data.databricks_aws_unity_catalog_assume_role_policy.this.unity_catalog_iam_arn,
  ]
}
EOF_TF
apply_clean
ok "the official examples apply, and the plans after them are empty"

expect_exit 0 output -json
python3 - "$WORK/last.out" <<'PY' || fail "the documents are not what the official provider makes"
import json, sys
out = {k: v["value"] for k, v in json.load(open(sys.argv[1])).items()}
docs = {k: json.loads(v) for k, v in out.items() if isinstance(v, str)}

def stmts(name):
    d = docs[name]
    assert d["Version"] == "2012-10-17", name
    return d["Statement"]

def as_list(x):
    return x if isinstance(x, list) else [x]

xa = stmts("crossaccount")
assert len(xa) == 2 and len(xa[0]["Action"]) == 76, xa
assert "ec2:CreateVpc" in xa[0]["Action"] and xa[0]["Resource"] == "*"
assert xa[1]["Resource"] == "arn:aws:iam::*:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot"
assert xa[1]["Condition"] == {"StringLike": {"iam:AWSServiceName": "spot.amazonaws.com"}}
# Printed as the official provider prints it (Go, two spaces).
assert out["crossaccount"].startswith('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",')
assert len(out["crossaccount"]) == 3171, len(out["crossaccount"])

r = stmts("restricted")
assert len(r[0]["Action"]) == 37 and "ec2:RunInstances" not in r[0]["Action"]
assert r[2] == {"Effect": "Allow", "Action": "iam:PassRole",
                "Resource": ["arn:aws:iam::123456789012:role/data"]}, r[2]
assert [s.get("Sid") for s in r[3:]] == [
    "InstancePoolsSupport", "AllowEc2RunInstancePerTag",
    "AllowEc2RunInstanceImagePerTag", "AllowEc2RunInstancePerVPCid",
    "AllowEc2RunInstanceOtherResources", "EC2TerminateInstancesTag",
    "EC2AttachDetachVolumeTag", "EC2CreateVolumeByTag",
    "EC2DeleteVolumeByTag", "VpcNonresourceSpecificActions"]
assert r[-1]["Resource"] == "arn:aws:ec2:us-west-2:123456789012:security-group/sg-12345678"
assert r[-1]["Condition"]["StringEquals"]["ec2:vpc"] == "arn:aws:ec2:us-west-2:123456789012:vpc/vpc-abcdefg12345"

a = stmts("assume")[0]
assert a["Action"] == "sts:AssumeRole"
assert a["Principal"] == {"AWS": "arn:aws:iam::414351767826:root"}
assert a["Condition"] == {"StringEquals": {"sts:ExternalId": "00000000-1111-2222-3333-444444444444"}}
assert stmts("logs")[0]["Principal"]["AWS"] == "arn:aws:iam::414351767826:role/SaasUsageDeliveryRole-prod-IAMRole-3PLHICCRR1TK"

b = stmts("bucket")[0]
assert b["Action"] == ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject",
                       "s3:DeleteObject", "s3:ListBucket", "s3:GetBucketLocation"]
assert b["Resource"] == ["arn:aws:s3:::my-root-bucket/*", "arn:aws:s3:::my-root-bucket"]
assert b["Principal"] == {"AWS": "arn:aws:iam::414351767826:root"} and "Condition" not in b
ds = stmts("ds")[0]
assert ds["Principal"] == {"AWS": "arn:aws:iam::123456789098:role/data_role"}
assert ds["Condition"] == {"StringEquals": {"aws:PrincipalTag/DatabricksAccountId": "00000000-1111-2222-3333-444444444444"}}

uc = stmts("uc")
assert uc[1]["Resource"] == ["arn:aws:iam::123456789098:role/demo-uc-access"]
assert uc[2]["Action"] == ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"]
assert uc[2]["Resource"] == ["arn:aws:kms:us-west-2:111122223333:key/databricks-kms"]
assert [s.get("Sid") for s in uc[3:]] == ["ManagedFileEventsSetupStatement",
    "ManagedFileEventsListStatement", "ManagedFileEventsTeardownStatement"]

ua = stmts("uc_assume")
assert ua[0]["Principal"]["AWS"] == "arn:aws:iam::414351767826:role/unity-catalog-prod-UCMasterRole-14S5ZJVKOTYTL"
assert ua[1]["Condition"] == {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::123456789098:role/demo-uc-access"},
                              "StringEquals": {"sts:ExternalId": "12345"}}

assert out["ids"] == ["_", "00000000-1111-2222-3333-444444444444", "my-root-bucket",
                      "databricks-bucket-123456789098-demo-uc-access",
                      "123456789098-demo-uc-access-12345"], out["ids"]
assert out["defaults"] == ["managed", "aws",
    "arn:aws:iam::414351767826:role/unity-catalog-prod-UCMasterRole-14S5ZJVKOTYTL"]
PY
ok "the documents hold what the official provider's do, and the ids match"

n=$(curl -sS "$EMU_URL/_emulator/requests" |
	python3 -c 'import json,sys; print(sum(json.load(sys.stdin).get("counts",{}).values()))')
[ "$n" = 0 ] || fail "the policy data sources made $n requests to the workspace"
ok "no request reached the workspace"

# --- failures --------------------------------------------------------------
config_text <<'EOF_TF'
data "databricks_aws_crossaccount_policy" "this" {
  policy_type   = "something"
  aws_partition = "aws-cn"
}
EOF_TF
expect_exit 1 plan
expect_output 'policy_type must be either'
expect_output 'aws_partition must be either'
expect_output 'with data.databricks_aws_crossaccount_policy.this,'
ok "a bad policy_type and partition fail validation at their attributes"

config_text <<'EOF_TF'
data "databricks_aws_crossaccount_policy" "this" {
  policy_type    = "restricted"
  aws_account_id = "1234"
  vpc_id         = "vpc-1"
  region         = "us-west-2"
}
EOF_TF
expect_exit 1 plan
expect_output 'aws_account_id'
expect_output 'must begin with .sg-.'
ok "a restricted policy's missing arguments are reported"

config_text <<'EOF_TF'
data "databricks_aws_bucket_policy" "this" {
  bucket = "Not_A_Bucket"
}
data "databricks_aws_unity_catalog_assume_role_policy" "this" {
  aws_account_id = "123456789098"
  role_name      = "r"
}
EOF_TF
expect_exit 1 plan
expect_output 'Missing required argument'
expect_output '"external_id" is required'
ok "a missing required argument is reported by terraform"

config_text <<'EOF_TF'
data "databricks_aws_bucket_policy" "this" {
  bucket = "Not_A_Bucket"
}
EOF_TF
expect_exit 1 plan
expect_output 'not an S3 bucket name'
ok "a bad bucket name fails validation"

done_testing
