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
  description = "CIDRs allowed to reach the Kubernetes API; empty keeps the endpoint private."
  type        = list(string)
  default     = []
}

variable "node_instance_types" {
  description = "Instance types of the managed node group."
  type        = list(string)
  default     = ["t3.large"]
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

variable "tags" {
  description = "Extra tags for every AWS resource."
  type        = map(string)
  default     = {}
}
