module csp4jextra

go 1.19
