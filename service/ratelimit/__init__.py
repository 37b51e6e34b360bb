"""Rate limits for every route group, counted in a store shared by workers and replicas."""
