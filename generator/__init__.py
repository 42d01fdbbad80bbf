"""Svarsarkivet: a static archive of ministers' answers to written questions and interpellations."""
