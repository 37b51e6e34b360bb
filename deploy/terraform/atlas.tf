# MongoDB Atlas: a project, a replica set in the cluster's region, the service's database
# user, and an access list limited to the cluster's egress addresses.

resource "mongodbatlas_project" "this" {
  name   = local.name
  org_id = var.atlas_org_id
}

resource "mongodbatlas_advanced_cluster" "this" {
  project_id     = mongodbatlas_project.this.id
  name           = local.name
  cluster_type   = "REPLICASET"
  backup_enabled = true

  replication_specs {
    region_configs {
      provider_name = "AWS"
      region_name   = var.atlas_region
      priority      = 7

      electable_specs {
        instance_size = var.atlas_instance_size
        node_count    = 3
      }
    }
  }

  advanced_configuration {
    minimum_enabled_tls_protocol = "TLS1_2"
    javascript_enabled           = false
  }
}

resource "random_password" "mongodb" {
  length  = 40
  special = false
}

resource "mongodbatlas_database_user" "service" {
  project_id         = mongodbatlas_project.this.id
  auth_database_name = "admin"
  username           = "users-service"
  password           = random_password.mongodb.result

  roles {
    role_name     = "readWrite"
    database_name = var.mongodb_database
  }

  scopes {
    name = mongodbatlas_advanced_cluster.this.name
    type = "CLUSTER"
  }
}

resource "mongodbatlas_project_ip_access_list" "cluster_egress" {
  for_each   = toset(var.atlas_access_cidrs)
  project_id = mongodbatlas_project.this.id
  cidr_block = each.value
  comment    = "${local.name} EKS egress"
}
