"""The listing lifecycle: publicity period, objections, publication, expiry, repair, withdrawal."""
