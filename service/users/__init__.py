"""The users domain: document model, schemas, service, dependencies and routes."""
