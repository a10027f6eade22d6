"""Stage 1, the facts: read curated facts files (YAML) into typed values, every error located.

Owns reading YAML with line numbers (``reading``), the JSON Schema check (``schema``, with its
compiled fast path ``schema_gate``), references between items (``references``), honest dates
(``dates``), the typed model (``model``), loading files and registries (``loader``), reading
the article text confined to its facts file's folder (``article_text``), anchoring quotes in the
source text (``grounding``), and the template of a new article folder (``template``).
"""
