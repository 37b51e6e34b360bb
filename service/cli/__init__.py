"""What the command line's commands do (`seed`, `train`, `create-admin`); each imports only
what it needs, never the routers."""
