"""The README's configuration table stays true to the settings the code reads."""
import re

from conftest import ROOT
from factlint.config import Settings, load_settings


def test_every_setting_is_in_the_readme_table_with_its_default():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = {(m.group(1), m.group(2)): m.group(3).strip()
            for m in re.finditer(r"^\| `\[(\w+)\] (\w+)` \| ([^|]+) \|", readme, re.M)}
    settings = load_settings(env={})
    for section, model in Settings.model_fields.items():
        for key in model.annotation.model_fields:
            assert (section, key) in rows, f"[{section}] {key} is missing from the README's table"
            value = getattr(getattr(settings, section), key)
            shown = rows[(section, key)]
            if isinstance(value, bool):
                assert shown == str(value).lower(), (section, key, shown)
            elif isinstance(value, (int, float)):
                assert float(shown) == value, (section, key, shown, value)
            elif value:
                assert shown.strip("`") == value, (section, key, shown, value)
