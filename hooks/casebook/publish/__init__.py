"""What happens to the pages as they are published: sanitising their HTML, indexing them
for search."""
