# Avatar objects in S3 (AVATAR_STORAGE=s3): a private, versioned, encrypted bucket reachable
# only over TLS, and the IAM role the service's pods assume through IRSA, allowed to read,
# write and delete objects under the avatar prefix and nothing else.

locals {
  avatar_bucket = "${local.name}-avatars-${data.aws_caller_identity.current.account_id}"
  avatar_prefix = "avatars/"
  # The chart's ServiceAccount (pinned in release.tf), the only subject the role trusts.
  service_account = "users-service"
  oidc_issuer     = trimprefix(aws_eks_cluster.this.identity[0].oidc[0].issuer, "https://")
}

resource "aws_s3_bucket" "avatars" {
  # checkov:skip=CKV_AWS_145: SSE-S3, which the service requests on every put (service/avatars/s3.py); avatars are public through the API, so a customer key would add KMS calls and a key policy without protecting anything
  # checkov:skip=CKV_AWS_18: server access logs would need a second bucket; enable CloudTrail S3 data events where an audit trail is required
  # checkov:skip=CKV_AWS_144: avatars are re-uploadable user content; versioning covers mistakes, a second region is not worth the cost
  # checkov:skip=CKV2_AWS_62: nothing consumes object events; the service is the only writer
  bucket = local.avatar_bucket
}

resource "aws_s3_bucket_ownership_controls" "avatars" {
  bucket = aws_s3_bucket.avatars.id
  rule {
    object_ownership = "BucketOwnerEnforced" # ACLs off: the bucket policy alone decides
  }
}

resource "aws_s3_bucket_public_access_block" "avatars" {
  bucket                  = aws_s3_bucket.avatars.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "avatars" {
  bucket = aws_s3_bucket.avatars.id
  versioning_configuration {
    status = "Enabled"
  }
}

# SSE-S3 by default, the encryption the service asks for on each put; the bucket policy
# refuses a put that asks for anything else.
resource "aws_s3_bucket_server_side_encryption_configuration" "avatars" {
  bucket = aws_s3_bucket.avatars.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# A replaced or deleted avatar stays recoverable for a while, then goes; uploads that never
# completed and delete markers left alone are cleaned up.
resource "aws_s3_bucket_lifecycle_configuration" "avatars" {
  bucket = aws_s3_bucket.avatars.id

  rule {
    id     = "expire-noncurrent-avatars"
    status = "Enabled"
    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.avatar_noncurrent_version_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
    expiration {
      expired_object_delete_marker = true
    }
  }

  depends_on = [aws_s3_bucket_versioning.avatars]
}

data "aws_iam_policy_document" "avatars_bucket" {
  statement {
    sid       = "DenyPlainHttp"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.avatars.arn, "${aws_s3_bucket.avatars.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
  statement {
    sid       = "DenyOtherEncryption"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.avatars.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringNotEqualsIfExists"
      variable = "s3:x-amz-server-side-encryption"
      values   = ["AES256"]
    }
  }
}

resource "aws_s3_bucket_policy" "avatars" {
  bucket = aws_s3_bucket.avatars.id
  policy = data.aws_iam_policy_document.avatars_bucket.json

  depends_on = [aws_s3_bucket_public_access_block.avatars]
}

# IRSA: only the service's ServiceAccount, in its namespace, may assume the role.
data "aws_iam_policy_document" "avatars_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.eks.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:sub"
      values   = ["system:serviceaccount:${var.kubernetes_namespace}:${local.service_account}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "avatars" {
  name               = "${local.name}-avatars"
  description        = "users-service pods (IRSA): avatar objects under s3://${local.avatar_bucket}/${local.avatar_prefix}"
  assume_role_policy = data.aws_iam_policy_document.avatars_trust.json
}

data "aws_iam_policy_document" "avatars_access" {
  statement {
    sid       = "AvatarObjects"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.avatars.arn}/${local.avatar_prefix}*"]
  }
  # Listing, only of keys under the prefix: readiness lists the bucket (one key under
  # avatars/) to prove bucket, credentials and policy work, and deleting a user lists its
  # avatars/<user id>/ objects to delete them all. (S3 may still answer a read of a
  # missing key with 403 rather than 404; the service reads only keys its database points
  # to, so that is an inconsistency to surface, not a normal path.)
  statement {
    sid       = "ListAvatarPrefix"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.avatars.arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [local.avatar_prefix, "${local.avatar_prefix}*"]
    }
  }
}

resource "aws_iam_role_policy" "avatars" {
  name   = "avatar-objects"
  role   = aws_iam_role.avatars.id
  policy = data.aws_iam_policy_document.avatars_access.json
}
