terraform import databricks_dbfs_file.etl_jar /FileStore/jars/etl.jar
