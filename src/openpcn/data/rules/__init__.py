"""ICB rule overlays in the database: versions saved through the product (append-only), and
"the rules for PCN P on date D" (the national rules of D's year plus the overlay of P's ICB)."""
