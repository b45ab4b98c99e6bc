// The no-op decision on Python 3.13 (pip 24.2, packaging 24), every scenario checked against pip.
import { decisionSuite } from "../helpers/install-decision.js";

decisionSuite("3.13", "pip 24.2", "all");
