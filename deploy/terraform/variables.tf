variable "project" {
  description = "Name prefix for every resource."
  type        = string
  default     = "users-service"
}

variable "environment" {
  description = "Deployment environment, e.g. staging or production."
  type        = string
  default     = "production"
}

variable "aws_region" {
  description = "AWS region of the EKS cluster."
  type        = string
  default     = "eu-central-1"
}

variable "vpc_id" {
  description = "VPC the cluster runs in."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets (at least two, in different zones) for the control plane and nodes."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "EKS needs subnets in at least two availability zones."
  }
}

variable "cluster_version" {
  description = "Kubernetes version of the EKS control plane."
  type        = string
  default     = "1.31"
}

variable "cluster_endpoint_public_access_cidrs" {
  description = "CIDRs allowed to reach the Kubernetes API's public endpoint: the workstation or CI runner that applies (its egress address /32). Empty keeps the endpoint private."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for cidr in var.cluster_endpoint_public_access_cidrs : can(cidrhost(cidr, 0)) && !endswith(cidr, "/0")])
    error_message = "Each entry must be a CIDR, and none may open the API to the whole internet (/0)."
  }

  validation {
    condition     = length(var.cluster_endpoint_public_access_cidrs) + length(var.cluster_endpoint_private_access_cidrs) > 0
    error_message = "Terraform's Kubernetes and Helm providers must reach the API: set cluster_endpoint_public_access_cidrs (apply from outside the VPC) or cluster_endpoint_private_access_cidrs (apply from a runner inside it)."
  }
}

variable "cluster_endpoint_private_access_cidrs" {
  description = "CIDRs inside the VPC (or reaching it by VPN/peering) allowed to the API's private endpoint on 443, e.g. the subnet of a self-hosted CI runner. Nodes reach it through the EKS-managed cluster security group and need no entry."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for cidr in var.cluster_endpoint_private_access_cidrs : can(cidrhost(cidr, 0)) && !endswith(cidr, "/0")])
    error_message = "Each entry must be a CIDR narrower than /0."
  }
}

variable "cluster_admin_principal_arns" {
  description = "IAM roles or users (besides the one that creates the cluster) given cluster-admin through EKS access entries, e.g. the CI role that applies."
  type        = list(string)
  default     = []
}

# Sized for the chart's CPU request of 1 core (values.yaml): three pods per 4-vCPU node
# (3 x 1 CPU + system pods within ~3.9 allocatable), so 5 nodes hold maxReplicas (10) with
# room for a rollout surge. Compute-optimised, not burstable: Argon2 hashing is sustained
# CPU, which would drain t3 credits.
variable "node_instance_types" {
  description = "Instance types of the managed node group (4 vCPU: three users-service pods each)."
  type        = list(string)
  default     = ["c6i.xlarge"]
}

variable "node_min_size" {
  description = "Smallest node count."
  type        = number
  default     = 2
}

variable "node_desired_size" {
  description = "Node count at creation."
  type        = number
  default     = 2
}

variable "node_max_size" {
  description = "Largest node count."
  type        = number
  default     = 5
}

variable "atlas_org_id" {
  description = "MongoDB Atlas organisation that owns the project."
  type        = string
}

variable "atlas_region" {
  description = "Atlas region name, matching aws_region (e.g. EU_CENTRAL_1)."
  type        = string
  default     = "EU_CENTRAL_1"
}

variable "atlas_instance_size" {
  description = "Atlas tier of the replica set (M10 or larger for production)."
  type        = string
  default     = "M10"
}

variable "atlas_access_cidrs" {
  description = "CIDRs allowed to reach Atlas: the NAT gateway addresses of the private subnets."
  type        = list(string)
}

variable "mongodb_database" {
  description = "Database the service uses."
  type        = string
  default     = "users_service"
}

variable "chart_path" {
  description = "Path of the users-service Helm chart."
  type        = string
  default     = "../helm/users-service"
}

variable "image_repository" {
  description = "Container image repository of the service."
  type        = string
  default     = "ghcr.io/users-service/users-service"
}

variable "image_tag" {
  description = "Image tag to deploy."
  type        = string
  default     = "0.1.0"
}

variable "kubernetes_namespace" {
  description = "Namespace the service is installed into."
  type        = string
  default     = "users-service"
}

variable "avatar_storage" {
  description = "Where the service stores avatars: s3 (the bucket of avatars.tf) or gridfs (MongoDB)."
  type        = string
  default     = "s3"

  validation {
    condition     = contains(["s3", "gridfs"], var.avatar_storage)
    error_message = "avatar_storage is s3 or gridfs."
  }
}

variable "avatar_noncurrent_version_days" {
  description = "Days a replaced or deleted avatar stays recoverable (a noncurrent version) before S3 expires it."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Extra tags for every AWS resource."
  type        = map(string)
  default     = {}
}

variable "smtp_host" {
  description = "SMTP server for account mail (verification, password reset), e.g. email-smtp.eu-central-1.amazonaws.com."
  type        = string

  validation {
    condition     = length(var.smtp_host) > 0
    error_message = "The service refuses to start in production without an SMTP host."
  }
}

variable "smtp_port" {
  description = "SMTP port (587 with STARTTLS)."
  type        = number
  default     = 587
}

variable "smtp_username" {
  description = "SMTP user name (empty when the server needs none)."
  type        = string
  default     = ""
}

variable "smtp_password" {
  description = "SMTP password, stored in the service's Kubernetes Secret."
  type        = string
  default     = ""
  sensitive   = true
}

variable "mail_from" {
  description = "From address of account mail."
  type        = string
  default     = "users-service <no-reply@example.com>"
}

variable "jwt_keys_secret" {
  description = "Name of the Kubernetes Secret holding the access-token keys (<kid>.pem files and `active`), in the service's namespace; see docs/tokens.md."
  type        = string
  default     = "users-service-jwt-keys"
}
