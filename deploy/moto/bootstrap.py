"""
Prepares the compose stack's moto server as an export target, the way a user prepares AWS for
RDS snapshot export: an S3 bucket, a symmetric KMS key with an alias and an IAM role that may use
both. Safe to run again; moto keeps its state in memory, so rerun it after moto restarts:

    docker compose up -d --force-recreate moto moto-init
"""

import json
import os
import sys

import boto3
from botocore.exceptions import ClientError

ENDPOINT = os.environ.get("MOTO_ENDPOINT", "http://moto:5000")
REGION = os.environ.get("AWS_REGION", "us-east-1")
ACCOUNT = os.environ.get("MOTO_ACCOUNT_ID", "123456789012")
BUCKET = os.environ.get("SNAPEX_EXPORT_BUCKET", "snapex-exports")
ROLE = os.environ.get("SNAPEX_EXPORT_ROLE", "snapex-export")
KEY_ALIAS = os.environ.get("SNAPEX_EXPORT_KEY_ALIAS", "alias/snapex-export")


def client(service):
    return boto3.client(
        service,
        endpoint_url=ENDPOINT,
        region_name=REGION,
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "test"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "test"),
    )


def error_code(error):
    return error.response.get("Error", {}).get("Code", "")


def ensure_bucket(s3):
    try:
        s3.create_bucket(Bucket=BUCKET)
    except ClientError as error:
        if error_code(error) not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
            raise


def ensure_key(kms):
    try:
        return kms.describe_key(KeyId=KEY_ALIAS)["KeyMetadata"]["Arn"]
    except ClientError as error:
        if error_code(error) != "NotFoundException":
            raise
    key = kms.create_key(Description="snapex export encryption key")["KeyMetadata"]
    kms.create_alias(AliasName=KEY_ALIAS, TargetKeyId=key["KeyId"])
    return key["Arn"]


def ensure_role(iam, key_arn):
    # Only for exports that snapex starts for this account: see "Access and encryption" in README.md.
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": ["sts:AssumeRole", "sts:TagSession"],
                "Condition": {
                    "StringEquals": {
                        "sts:ExternalId": ACCOUNT,
                        "aws:RequestTag/snapex:SourceAccount": ACCOUNT,
                    },
                    "ArnLike": {"aws:RequestTag/snapex:SourceArn": f"arn:aws:rds:*:{ACCOUNT}:*"},
                },
            }
        ],
    }
    try:
        role_arn = iam.get_role(RoleName=ROLE)["Role"]["Arn"]
    except ClientError as error:
        if error_code(error) != "NoSuchEntity":
            raise
        role_arn = iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ExportPolicy",
                "Effect": "Allow",
                "Action": [
                    "s3:PutObject*",
                    "s3:ListBucket",
                    "s3:GetObject*",
                    "s3:DeleteObject*",
                    "s3:GetBucketLocation",
                ],
                "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
            },
            {
                "Sid": "ExportKey",
                "Effect": "Allow",
                "Action": ["kms:DescribeKey", "kms:GenerateDataKey*", "kms:Decrypt", "kms:Encrypt"],
                "Resource": key_arn,
            },
            {
                # metadataWriter.glueCatalog registers the exported tables in the account's catalog.
                "Sid": "ExportCatalog",
                "Effect": "Allow",
                "Action": [
                    "glue:GetDatabase",
                    "glue:CreateDatabase",
                    "glue:GetTable",
                    "glue:CreateTable",
                    "glue:UpdateTable",
                ],
                # On AWS: the catalog, database/* and table/*/* (README); moto checks Glue calls against "*".
                "Resource": "*",
            },
        ],
    }
    iam.put_role_policy(RoleName=ROLE, PolicyName="snapex-export", PolicyDocument=json.dumps(policy))
    return role_arn


def main():
    ensure_bucket(client("s3"))
    key_arn = ensure_key(client("kms"))
    role_arn = ensure_role(client("iam"), key_arn)
    print(json.dumps({"S3BucketName": BUCKET, "IamRoleArn": role_arn, "KmsKeyId": KEY_ALIAS, "KmsKeyArn": key_arn}))


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # noqa: BLE001 - any failure must fail the one-shot job
        print(f"moto bootstrap failed: {error}", file=sys.stderr)
        sys.exit(1)
