"""URDF surgery for airo-models' files: drop Drake-only tags PyBullet cannot read, make mesh paths
absolute, give links without <inertial> a small real mass (PyBullet would give each 1 kg, which
drags the wrist down and breaks grasps), prefix names and attach a gripper to an arm flange."""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

_DRAKE_ELEMENT = re.compile(r"<drake:(\w+)[^>]*>.*?</drake:\1>", re.S)
_DRAKE_EMPTY = re.compile(r"<drake:[^>]*/>")
_DRAKE_ATTR = re.compile(r'\s+drake:\w+="[^"]*"')


def load_clean(path: str | os.PathLike) -> ET.Element:
    text = Path(path).read_text()
    text = _DRAKE_ATTR.sub("", _DRAKE_EMPTY.sub("", _DRAKE_ELEMENT.sub("", text)))
    root = ET.fromstring(text)
    base = Path(path).resolve().parent
    for mesh in root.iter("mesh"):
        name = mesh.get("filename", "")
        if name.startswith("package://"):
            raise ValueError(f"{path}: package:// mesh paths are not supported ({name})")
        if not os.path.isabs(name):
            mesh.set("filename", str((base / name).resolve()))
    return root


def add_missing_inertials(root: ET.Element, mass: float = 0.005) -> list[str]:
    """Give every link without <inertial> a small box-like inertia; returns the links changed.
    A link with collision geometry (e.g. finger pads) gets `mass`; empty frames get 1 gram."""
    fixed = []
    for link in root.findall("link"):
        if link.find("inertial") is not None:
            continue
        m = mass if link.find("collision") is not None else 0.001
        inertial = ET.SubElement(link, "inertial")
        ET.SubElement(inertial, "origin", xyz="0 0 0", rpy="0 0 0")
        ET.SubElement(inertial, "mass", value=f"{m}")
        i = m * 1e-4
        ET.SubElement(inertial, "inertia", ixx=f"{i}", ixy="0", ixz="0", iyy=f"{i}", iyz="0", izz=f"{i}")
        fixed.append(link.get("name"))
    return fixed


def prefix_names(root: ET.Element, prefix: str) -> None:
    for link in root.findall("link"):
        link.set("name", prefix + link.get("name"))
    for joint in root.findall("joint"):
        joint.set("name", prefix + joint.get("name"))
        for tag in ("parent", "child"):
            el = joint.find(tag)
            el.set("link", prefix + el.get("link"))
        mimic = joint.find("mimic")
        if mimic is not None:
            mimic.set("joint", prefix + mimic.get("joint"))
    for tr in root.findall("transmission"):
        root.remove(tr)


def attach(arm: ET.Element, tool: ET.Element, parent_link: str, tool_base: str,
           xyz: str = "0 0 0", rpy: str = "0 0 0") -> None:
    """Merge `tool`'s links and joints into `arm`, fixed to `parent_link`."""
    for el in list(tool):
        if el.tag in ("link", "joint"):
            arm.append(el)
    joint = ET.SubElement(arm, "joint", name=f"{parent_link}-{tool_base}", type="fixed")
    ET.SubElement(joint, "parent", link=parent_link)
    ET.SubElement(joint, "child", link=tool_base)
    ET.SubElement(joint, "origin", xyz=xyz, rpy=rpy)


def add_frame(root: ET.Element, name: str, parent: str, xyz: str, rpy: str = "0 0 0") -> None:
    link = ET.SubElement(root, "link", name=name)
    inertial = ET.SubElement(link, "inertial")
    ET.SubElement(inertial, "mass", value="0.001")
    ET.SubElement(inertial, "inertia", ixx="1e-7", ixy="0", ixz="0", iyy="1e-7", iyz="0", izz="1e-7")
    joint = ET.SubElement(root, "joint", name=f"{parent}-{name}", type="fixed")
    ET.SubElement(joint, "parent", link=parent)
    ET.SubElement(joint, "child", link=name)
    ET.SubElement(joint, "origin", xyz=xyz, rpy=rpy)


def write_cached(root: ET.Element, stem: str) -> str:
    """Write the URDF under the temp dir, named by a hash of its content (stable across processes,
    so two processes load byte-identical models)."""
    text = ET.tostring(root, encoding="unicode")
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / "codebot-sim"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}-{digest}.urdf"
    if not path.exists():
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text)
        os.replace(tmp, path)
    return str(path)
