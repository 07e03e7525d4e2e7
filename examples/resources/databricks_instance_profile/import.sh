terraform import databricks_instance_profile.this "arn:aws:iam::123456789012:instance-profile/shared-s3"
