# The service itself: its namespace, the Secret it reads, and the Helm release of the chart.

resource "random_password" "jwt" {
  length  = 64
  special = false
}

# Seals TOTP secrets (SECOND_FACTOR_KEY); kept in the state like the JWT secret.
resource "random_bytes" "second_factor" {
  length = 32
}

locals {
  # mongodb+srv://user:password@host/?retryWrites=true&w=majority
  atlas_host  = trimprefix(mongodbatlas_advanced_cluster.this.connection_strings[0].standard_srv, "mongodb+srv://")
  mongodb_url = "mongodb+srv://${mongodbatlas_database_user.service.username}:${random_password.mongodb.result}@${local.atlas_host}/?retryWrites=true&w=majority"
}

resource "kubernetes_namespace" "service" {
  metadata {
    name = var.kubernetes_namespace
    labels = {
      "pod-security.kubernetes.io/enforce" = "restricted"
    }
  }

  depends_on = [aws_eks_node_group.default]
}

resource "kubernetes_secret" "service" {
  metadata {
    name      = "users-service"
    namespace = kubernetes_namespace.service.metadata[0].name
  }

  data = {
    MONGODB_URL       = local.mongodb_url
    JWT_SECRET        = random_password.jwt.result
    SECOND_FACTOR_KEY = random_bytes.second_factor.base64
    SMTP_PASSWORD     = var.smtp_password
  }
}

resource "helm_release" "service" {
  name             = "users-service"
  namespace        = kubernetes_namespace.service.metadata[0].name
  chart            = var.chart_path
  create_namespace = false
  atomic           = true
  wait             = true
  timeout          = 600

  values = [yamlencode({
    image = {
      repository = var.image_repository
      tag        = var.image_tag
    }
    secret = {
      existingSecret = kubernetes_secret.service.metadata[0].name
    }
    # Signing keys stay out of Terraform state: a Secret made by `python -m service keys`
    # or synced from AWS Secrets Manager (docs/tokens.md).
    jwtKeys = {
      existingSecret = var.jwt_keys_secret
    }
    config = {
      ENVIRONMENT = "production"
      MONGODB_DB  = var.mongodb_database
    }
    # Pods roll when the Secret changes (the chart cannot hash a Secret it does not own);
    # a digest of random values reveals nothing.
    podAnnotations = {
      "checksum/secret" = nonsensitive(sha256(jsonencode(kubernetes_secret.service.data)))
    }
    # The role the avatar bucket trusts is bound to exactly this ServiceAccount name.
    serviceAccount = {
      name       = local.service_account
      awsRoleArn = aws_iam_role.avatars.arn
    }
    # Account mail: production refuses to start without an SMTP host.
    smtp = {
      host     = var.smtp_host
      port     = var.smtp_port
      username = var.smtp_username
      from     = var.mail_from
    }
    avatarStorage = {
      backend = var.avatar_storage
      s3 = {
        bucket = aws_s3_bucket.avatars.id
        prefix = local.avatar_prefix
        region = var.aws_region
      }
    }
  })]

  depends_on = [
    mongodbatlas_database_user.service,
    mongodbatlas_project_ip_access_list.cluster_egress,
    aws_eks_addon.metrics_server, # the HPA reads CPU from it
    aws_iam_role_policy.avatars,
    aws_s3_bucket_policy.avatars,
  ]
}
