"""The schedulingbenchmarks.org (Curtois) staff-rostering benchmark: format, model, scorer."""
