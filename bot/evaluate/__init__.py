"""Evaluation: question sets, deterministic metrics, the LangChain baseline, reports and charts."""
