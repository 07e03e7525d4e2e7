resource "databricks_instance_profile" "shared" {
  instance_profile_arn = "arn:aws:iam::123456789012:instance-profile/shared-s3"
}
