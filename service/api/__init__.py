"""All of HTTP's routes: one router module per resource."""
