// freeze / list / show in a Python 3.12 venv, compared with its own pip
// (see test/helpers/package-matrix.ts).
import { registerVenvComparisons } from "../helpers/package-matrix.js";

registerVenvComparisons("3.12");
