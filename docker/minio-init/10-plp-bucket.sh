#!/bin/sh
# Run once by docker-compose's minio-init (idempotent): the private bucket for handed-in files and the
# app's own key, allowed that bucket only (never the MinIO root's keys in the app).
set -eu
mc alias set plp http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD"
mc mb --ignore-existing "plp/$PLP_S3_BUCKET"
mc anonymous set none "plp/$PLP_S3_BUCKET"
cat > /tmp/plp-app-policy.json <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
     "Resource": ["arn:aws:s3:::$PLP_S3_BUCKET/*"]},
    {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"],
     "Resource": ["arn:aws:s3:::$PLP_S3_BUCKET"]}
  ]
}
POLICY
mc admin policy create plp plp-app-files /tmp/plp-app-policy.json || true
mc admin user add plp "$PLP_S3_ACCESS_KEY_ID" "$PLP_S3_SECRET_ACCESS_KEY"
mc admin policy attach plp plp-app-files --user "$PLP_S3_ACCESS_KEY_ID" || true
