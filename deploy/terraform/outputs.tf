output "cluster_name" {
  description = "EKS cluster name (aws eks update-kubeconfig --name <this>)."
  value       = aws_eks_cluster.this.name
}

output "cluster_endpoint" {
  description = "Kubernetes API endpoint."
  value       = aws_eks_cluster.this.endpoint
}

output "node_role_arn" {
  description = "IAM role of the worker nodes."
  value       = aws_iam_role.node.arn
}

output "atlas_cluster_srv" {
  description = "Atlas connection host (without credentials)."
  value       = mongodbatlas_advanced_cluster.this.connection_strings[0].standard_srv
}

output "release_namespace" {
  description = "Namespace of the users-service release."
  value       = helm_release.service.namespace
}

output "mongodb_url" {
  description = "Full connection string of the service's database user."
  value       = local.mongodb_url
  sensitive   = true
}
