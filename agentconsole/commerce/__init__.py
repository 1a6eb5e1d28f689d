"""Store API adapters (Shopify, WooCommerce). No UI here."""
