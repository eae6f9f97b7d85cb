"""Evidence (DESIGN §3.11): the documents of a household and its cases, checked by their content, stored
outside every public URL and read only within the reader's scope."""
