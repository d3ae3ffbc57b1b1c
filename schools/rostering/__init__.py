"""OneRoster CSV 1.1/1.2 rostering: reading and checking (pure), the dry-run plan, the atomic writer."""
