"""All of HTTP: the routers, their dependencies, and the published contract's names."""
