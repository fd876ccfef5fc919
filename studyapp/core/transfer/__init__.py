"""Moving cards in and out: the import model, CSV, exporting, Anki packages."""
