#!/bin/sh
# The source connections the example contracts name. An administrator (the workspace's owner)
# defines them once; contracts only say "source": "NAME". See docs/contracts.md, "Source connections".
exportdesk source add shop-db    --jdbc-url jdbc:postgresql://db.internal:5432/shop --user-env SHOP_DB_USER --password-env SHOP_DB_PASSWORD
exportdesk source add shop       --jdbc-url jdbc:postgresql://db.internal:5432/shop --user exportdesk --password-env SHOP_DB_PASSWORD
exportdesk source add billing-db --jdbc-url jdbc:postgresql://billing.internal:5432/billing --user-env BILLING_USER --password-env BILLING_PASSWORD
exportdesk source add catalog-db --jdbc-url jdbc:postgresql://catalog.internal:5432/catalog --user-env CATALOG_USER --password-env CATALOG_PASSWORD
