"""The 14 Code-as-Policies templates, one per file, each with its goal spec (`goal_text`). Importing this
package registers them (one @register per template), long-horizon (1-5, 9-11) then spatial (6-8, 12-14)."""
from codebot.checks.tasks.templates import pick_place
from codebot.checks.tasks.templates import stack_all_blocks
from codebot.checks.tasks.templates import all_blocks_on_place
from codebot.checks.tasks.templates import blocks_in_bowl
from codebot.checks.tasks.templates import matching_bowls
from codebot.checks.tasks.templates import different_corners
from codebot.checks.tasks.templates import mismatched_bowls
from codebot.checks.tasks.templates import stack_on_place
from codebot.checks.tasks.templates import block_beside_bowl_to_place
from codebot.checks.tasks.templates import block_by_distance_to_place
from codebot.checks.tasks.templates import nth_block_to_place
from codebot.checks.tasks.templates import block_offset_from_bowl
from codebot.checks.tasks.templates import block_to_corner_by_bowl
from codebot.checks.tasks.templates import blocks_in_line

