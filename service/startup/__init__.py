"""Start-up: the stored documents, the builders of the lifespan state, the lifespan itself,
and the background purge of expired documents."""
