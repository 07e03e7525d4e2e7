-- Databricks notebook source
SELECT event_type, count(*) AS events FROM bronze.events GROUP BY event_type
