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

output "avatar_bucket_name" {
  description = "S3 bucket of the avatars (AVATAR_S3_BUCKET; objects under avatars/)."
  value       = aws_s3_bucket.avatars.id
}

output "avatar_bucket_arn" {
  description = "ARN of the avatar bucket."
  value       = aws_s3_bucket.avatars.arn
}

output "avatar_role_arn" {
  description = "IAM role of the service's pods (IRSA; the chart's serviceAccount.awsRoleArn)."
  value       = aws_iam_role.avatars.arn
}
