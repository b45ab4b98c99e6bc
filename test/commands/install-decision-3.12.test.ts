// The no-op decision on Python 3.12 (pip 23.2.1, packaging 21: older marker
// rules); pip is asked where venvctl answers without it.
import { decisionSuite } from "../helpers/install-decision.js";

decisionSuite("3.12", "pip 23.2.1", "satisfied");
