"""The optional predictive score: trained on the company's own closed leads, tested on later ones."""
