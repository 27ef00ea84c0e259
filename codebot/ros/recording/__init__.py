"""rosbag2 recording: the recorder (`bag`), its crash-safe journal and recovery (`bag_journal`) and the
salvage of a bag whose writer died (`mcap_salvage`, a reader only)."""
