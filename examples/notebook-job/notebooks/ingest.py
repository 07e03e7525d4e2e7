# Databricks notebook source
# Reads the day's raw events and appends them to the bronze table.
dbutils.widgets.text("date", "")
date = dbutils.widgets.get("date")
spark.read.json(f"/landing/events/{date}").write.mode("append").saveAsTable("bronze.events")
