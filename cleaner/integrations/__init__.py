"""Steps for the pipelines people already run: a Hugging Face ``datasets``
``.map(batched=True)`` function (:mod:`cleaner.integrations.hf`) and a
datatrove pipeline step (:mod:`cleaner.integrations.datatrove`). Each needs
its library, imported only when the integration is."""
