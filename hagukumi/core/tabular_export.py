"""One writer for every xlsx/CSV export (interface; implementation in progress)."""
