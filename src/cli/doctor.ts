// `venvctl doctor`: placeholder, written below.
import type { Command } from "commander";
import type { Cli } from "./index.js";

export function register(_program: Command, _cli: Cli): void {}
