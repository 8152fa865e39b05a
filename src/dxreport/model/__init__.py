"""The pack model: format-neutral, the only thing renderers see."""
