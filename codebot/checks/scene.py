"""The scene noun shared by tasks, resets, the agent, ROS, MCP and the simulator: which objects a scene
holds. Plain data (no simulator import); the environment's seeded layout sampler places them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from codebot.primitives import records


@dataclass(frozen=True)
class SceneSpec:
    """Which objects a scene holds: colours of the blocks and of the bowls (unique per kind).
    The environment's seeded layout sampler places them."""

    blocks: tuple[str, ...] = ()
    bowls: tuple[str, ...] = ()

    def to_plain(self) -> dict[str, list[str]]:
        """{"blocks": [...], "bowls": [...]}: the form resets, bench records and traces carry."""
        return {"blocks": list(self.blocks), "bowls": list(self.bowls)}

    @classmethod
    def from_plain(cls, data: Any) -> "SceneSpec":
        """Inverse of to_plain (a missing list is empty); raises RecordError naming the bad field."""
        d = records.fields_of(data, "scene")
        return cls(blocks=records.names(d, "blocks", "scene"), bowls=records.names(d, "bowls", "scene"))
