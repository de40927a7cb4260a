"""kmgov: the Kunming municipal gazette (2010 No. 15) as working administrative systems."""
