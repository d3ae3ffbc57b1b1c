"""The demo's two frameworks (middle-school mathematics and ELA) as tables of code, title and
prerequisites, read into the framework import's parsed form.
"""

from playlists.frameworks.parsed import ParsedCompetency, ParsedFramework

# (code, title, prerequisite codes). Codes name the domain: the part before the last dot is its parent. A
# playlist competency's prerequisites are taught by the demo's playlists too, so no student meets a lock they
# have no way to open.
MATH = [
    ("6.RP.1", "Understand ratio language", ""),
    ("6.RP.2", "Understand unit rates", "6.RP.1"),
    ("6.RP.3", "Solve ratio and rate problems with tables and double number lines", "6.RP.2"),
    ("6.RP.4", "Find a percent of a quantity as a rate per 100", "6.RP.3"),
    ("6.NS.1", "Divide fractions by fractions", ""),
    ("6.NS.2", "Divide multi-digit numbers fluently", ""),
    ("6.NS.3", "Add, subtract, multiply and divide decimals", "6.NS.2"),
    ("6.NS.4", "Find greatest common factors and least common multiples", ""),
    ("6.NS.5", "Use positive and negative numbers in context", ""),
    ("6.NS.6", "Place rational numbers on the number line and coordinate plane", "6.NS.5"),
    ("6.NS.7", "Order rational numbers and understand absolute value", "6.NS.6"),
    ("6.EE.1", "Write and evaluate expressions with exponents", ""),
    ("6.EE.2", "Write, read and evaluate expressions with variables", "6.EE.1"),
    ("6.EE.3", "Generate equivalent expressions", "6.EE.2"),
    ("6.EE.4", "Solve one-variable equations and inequalities", "6.EE.3"),
    ("6.EE.5", "Represent relationships between dependent and independent variables", "6.EE.4 6.RP.3"),
    ("6.G.1", "Find the area of triangles and polygons", ""),
    ("6.G.2", "Find the volume of right rectangular prisms", "6.G.1"),
    ("6.G.3", "Draw polygons in the coordinate plane", "6.NS.6"),
    ("6.G.4", "Use nets to find surface area", "6.G.1"),
    ("6.SP.1", "Recognize statistical questions", ""),
    ("6.SP.2", "Describe a distribution by center, spread and shape", "6.SP.1"),
    ("6.SP.3", "Summarize data with mean, median and interquartile range", "6.SP.2"),
    ("7.RP.1", "Compute unit rates with fractions", "6.RP.2 6.NS.1"),
    ("7.RP.2", "Recognize and represent proportional relationships", "7.RP.1 6.EE.5"),
    ("7.RP.3", "Solve multistep ratio and percent problems", "7.RP.2 6.RP.4"),
    ("7.NS.1", "Add and subtract rational numbers", "6.NS.7"),
    ("7.NS.2", "Multiply and divide rational numbers", "7.NS.1"),
    ("7.NS.3", "Solve problems with the four operations on rational numbers", "7.NS.2"),
    ("7.EE.1", "Add, subtract, factor and expand linear expressions", "6.EE.3"),
    ("7.EE.2", "Rewrite expressions to show how quantities relate", "7.EE.1"),
    ("7.EE.3", "Solve multistep problems with rational numbers", "7.NS.3 7.EE.1"),
    ("7.EE.4", "Solve two-step equations and inequalities", "7.EE.3 6.EE.4"),
    ("7.G.1", "Solve problems with scale drawings", "7.RP.2"),
    ("7.G.4", "Use the formulas for area and circumference of a circle", "6.G.1"),
    ("7.SP.1", "Use random sampling to draw inferences", "6.SP.3"),
]


ELA = [
    ("RL.6.1", "Cite textual evidence to support an analysis of a story", ""),
    ("RL.6.2", "Determine a theme and how it is conveyed", "RL.6.1"),
    ("RL.6.3", "Describe how a plot unfolds and characters respond", "RL.6.1"),
    ("RL.7.1", "Cite several pieces of evidence from a story", "RL.6.1"),
    ("RL.7.2", "Analyze how a theme develops over a text", "RL.6.2 RL.7.1"),
    ("RL.7.6", "Analyze how an author develops points of view", "RL.7.1"),
    ("RI.6.1", "Cite evidence from informational texts", ""),
    ("RI.6.2", "Determine a central idea and how it is conveyed", "RI.6.1"),
    ("RI.6.8", "Trace and evaluate an argument and its claims", ""),
    ("RI.7.1", "Cite several pieces of evidence from informational texts", "RI.6.1"),
    ("RI.7.2", "Determine two or more central ideas", "RI.6.2 RI.7.1"),
    ("RI.7.8", "Evaluate whether evidence is relevant and sufficient", "RI.6.8 RI.7.1"),
    ("W.6.1", "Write arguments supporting claims with reasons and evidence", "RI.6.8"),
    ("W.6.2", "Write informative texts that convey ideas clearly", "RI.6.2"),
    ("W.6.7", "Conduct short research projects", "RI.6.1"),
    ("W.7.1", "Write arguments that acknowledge alternate claims", "W.6.1"),
    ("W.7.2", "Write informative texts with relevant facts and quotations", "W.6.2"),
    ("W.7.7", "Conduct research drawing on several sources", "W.6.7"),
    ("W.7.8", "Gather and quote sources while avoiding plagiarism", "W.7.7"),
    ("SL.6.1", "Engage in collaborative discussions", ""),
    ("SL.6.4", "Present claims and findings in a logical sequence", "SL.6.1"),
    ("SL.7.1", "Build on others' ideas in discussions", "SL.6.1"),
    ("SL.7.4", "Present claims with pertinent descriptions and facts", "SL.6.4 W.7.1"),
    ("L.7.1", "Use grammar conventions when writing and speaking", ""),
]


DOMAIN_TITLES = {
    "RP": "Ratios and proportional relationships", "NS": "The number system",
    "EE": "Expressions and equations", "G": "Geometry", "SP": "Statistics and probability",
    "RL": "Reading literature", "RI": "Reading informational text", "W": "Writing",
    "SL": "Speaking and listening", "L": "Language",
}  # fmt: skip


def _parsed(title: str, table: list[tuple[str, str, str]], position: int = 0) -> ParsedFramework:
    parsed = ParsedFramework(title=title)
    domains = {}
    for code, name, prerequisites in table:
        grade, domain = code.split(".")[:2] if code[0].isdigit() else (code.split(".")[1], code.split(".")[0])
        domain_code = f"{grade}.{domain}" if code[0].isdigit() else f"{domain}.{grade}"
        if domain_code not in domains:
            domains[domain_code] = ParsedCompetency(
                key=domain_code,
                code=domain_code,
                title=f"Grade {grade}: {DOMAIN_TITLES[domain]}",
                grade_band=grade,
                item_type="Domain",
                position=len(parsed.competencies),
            )
            parsed.competencies.append(domains[domain_code])
        parsed.competencies.append(
            ParsedCompetency(
                key=code,
                code=code,
                title=name,
                grade_band=grade,
                item_type="Standard",
                standard_codes=[code],
                parent_key=domain_code,
                position=len(parsed.competencies),
            )
        )
        parsed.prerequisites.extend((code, p) for p in prerequisites.split())
    return parsed
