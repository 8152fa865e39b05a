"""Reading and validating the input: YAML files, the schema, the dataset, workbooks."""
