terraform {
  # 1.10: the S3 backend's native lockfile, and validations that read other variables.
  required_version = ">= 1.10.0"

  # Remote state in S3, encrypted and locked. The state holds secrets in plain text (the
  # Atlas password, the JWT secret, the full connection string), so its bucket must be
  # private, versioned and KMS-encrypted, readable only by whoever applies. The settings
  # are a partial configuration given at init:
  #   terraform init -backend-config=backend.hcl      (see backend.hcl.example)
  backend "s3" {}

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
    mongodbatlas = {
      source  = "mongodb/mongodbatlas"
      version = "~> 1.26"
    }
    helm = {
      source  = "hashicorp/helm"
      version = "~> 2.17"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "~> 2.35"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.0"
    }
  }
}

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = local.tags
  }
}

# Credentials come from MONGODB_ATLAS_PUBLIC_KEY / MONGODB_ATLAS_PRIVATE_KEY.
provider "mongodbatlas" {}

# Both Kubernetes-facing providers reach the cluster the same way: its endpoint and CA,
# with a short-lived token from the AWS CLI (the identity that created the cluster is its
# admin; cluster_admin_principal_arns adds others, e.g. a CI role). The endpoint must be
# reachable from where terraform runs: its public side is open only to
# cluster_endpoint_public_access_cidrs, its private side (inside the VPC) only to
# cluster_endpoint_private_access_cidrs; docs/deployment.md "Terraform (AWS)" has both set-ups.
provider "kubernetes" {
  host                   = local.cluster.host
  cluster_ca_certificate = local.cluster.ca_certificate

  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "aws"
    args        = local.cluster.token_args
  }
}

provider "helm" {
  kubernetes {
    host                   = local.cluster.host
    cluster_ca_certificate = local.cluster.ca_certificate

    exec {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "aws"
      args        = local.cluster.token_args
    }
  }
}

locals {
  cluster = {
    host           = aws_eks_cluster.this.endpoint
    ca_certificate = base64decode(aws_eks_cluster.this.certificate_authority[0].data)
    token_args     = ["eks", "get-token", "--cluster-name", aws_eks_cluster.this.name, "--region", var.aws_region]
  }
  name = "${var.project}-${var.environment}"
  tags = merge(var.tags, {
    project     = var.project
    environment = var.environment
    managed-by  = "terraform"
  })
}
