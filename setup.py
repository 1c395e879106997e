"""Map the top-level folders into the installed `wijkboekhouding` namespace."""

from setuptools import find_packages, setup

FOLDERS = ("engine", "importers", "plugins")

package_dir = {f"wijkboekhouding.{folder}": folder for folder in FOLDERS}
packages = []
for folder in FOLDERS:
    packages.append(f"wijkboekhouding.{folder}")
    packages += [f"wijkboekhouding.{folder}.{sub}" for sub in find_packages(folder)]

setup(packages=packages, package_dir=package_dir)
