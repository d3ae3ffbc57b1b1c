# ruff: noqa: E501 (prose: a sentence stays on one line so it reads and diffs as written)
r"""The demo's practice questions, by competency code (CC BY 4.0, written for PLP).

Each question is a dict in the shape of ``mastery.models.Question``: ``kind`` (single, multiple, numeric,
short_text), ``prompt``, ``explanation`` and the key fields of its kind. The helpers below only save typing;
tests/mastery/test_demo_content.py checks every question against the real grader. Data, not code: one
module over 400 lines on purpose, the questions of every demo competency in one place.
"""

from __future__ import annotations


def num(prompt: str, answer: float, explanation: str, tolerance: float = 0) -> dict:
    return {"kind": "numeric", "prompt": prompt, "numeric_answer": answer, "tolerance": tolerance,
            "explanation": explanation}  # fmt: skip


def one(prompt: str, choices: list[str], correct: int, explanation: str) -> dict:
    return {"kind": "single", "prompt": prompt, "choices": choices, "correct_choices": [correct],
            "explanation": explanation}  # fmt: skip


def many(prompt: str, choices: list[str], correct: list[int], explanation: str) -> dict:
    return {"kind": "multiple", "prompt": prompt, "choices": choices, "correct_choices": correct,
            "explanation": explanation}  # fmt: skip


def text(prompt: str, accepted: list[str], explanation: str) -> dict:
    return {"kind": "short_text", "prompt": prompt, "accepted_answers": accepted, "explanation": explanation}


RATIO_LANGUAGE = [
    one(
        "A class has 12 girls and 15 boys. What is the ratio of girls to boys in simplest form?",
        [r"\(4 : 5\)", r"\(5 : 4\)", r"\(12 : 27\)", r"\(4 : 9\)"],
        0,
        r"Girls to boys is \(12 : 15\). Divide both by 3: \(4 : 5\). (\(5 : 4\) is boys to girls; \(12 : 27\) "
        r"compares the girls with the whole class.)",
    ),
    num(
        "A recipe uses 3 cups of flour for every 2 cups of sugar. How many cups of flour go with 8 cups of sugar?",
        12,
        r"8 cups of sugar is \(8 \div 2 = 4\) batches, and each batch has 3 cups of flour: \(4 \times 3 = 12\).",
    ),
    one(
        "A bag holds 5 red and 7 blue marbles. Which ratio compares the red marbles to all the marbles?",
        [r"\(5 : 7\)", r"\(5 : 12\)", r"\(7 : 12\)", r"\(12 : 5\)"],
        1,
        r"All the marbles: \(5 + 7 = 12\). Red to all is \(5 : 12\); \(5 : 7\) is red to blue, a part to a part.",
    ),
    num(
        "On a field trip there is 1 adult for every 4 students. 28 students go. How many adults go?",
        7,
        r"Each group of 4 students has one adult: \(28 \div 4 = 7\) groups, so 7 adults.",
    ),
    many(
        r"Which ratios are equivalent to \(2 : 3\)? Choose all that are.",
        [r"\(4 : 6\)", r"\(6 : 9\)", r"\(3 : 2\)", r"\(10 : 15\)", r"\(5 : 6\)"],
        [0, 1, 3],
        r"Multiply both parts by the same number: \(\times 2\) gives \(4 : 6\), \(\times 3\) gives \(6 : 9\), "
        r"\(\times 5\) gives \(10 : 15\). \(3 : 2\) swaps the order, and \(5 : 6\) is not a multiple of both parts.",
    ),
    num(
        r"The ratio of cats to dogs at a shelter is \(3 : 5\). There are 20 dogs. How many cats are there?",
        12,
        r"5 parts are 20 dogs, so one part is \(20 \div 5 = 4\). Cats are 3 parts: \(3 \times 4 = 12\).",
    ),
    one(
        "A team won 9 games and lost 6. Which statement is true?",
        [
            "For every 3 wins there were 2 losses.",
            "For every 2 wins there were 3 losses.",
            "The team won 9 out of 6 games.",
            r"The ratio of wins to games played is \(9 : 6\).",
        ],
        0,
        r"\(9 : 6\) simplifies to \(3 : 2\) (divide by 3). The team played \(9 + 6 = 15\) games, so wins to games "
        r"is \(9 : 15\).",
    ),
    num(
        r"A paint mix uses blue and yellow in the ratio \(2 : 5\). How many litres of yellow go with 6 litres of blue?",
        15,
        r"6 litres of blue is \(6 \div 2 = 3\) times the recipe, so yellow is \(3 \times 5 = 15\) litres.",
    ),
    num(
        r"In a class of 30, the ratio of students who walk to school to those who don't is \(1 : 2\). How many walk?",
        10,
        r"The ratio has \(1 + 2 = 3\) parts; one part is \(30 \div 3 = 10\) students. Walkers are one part: 10.",
    ),
    one(
        r"Write the ratio \(18 : 24\) in simplest form.",
        [r"\(3 : 4\)", r"\(6 : 8\)", r"\(9 : 12\)", r"\(4 : 3\)"],
        0,
        r"The greatest common factor of 18 and 24 is 6: \(18 \div 6 = 3\), \(24 \div 6 = 4\). \(6 : 8\) and "
        r"\(9 : 12\) are equivalent but can still be divided.",
    ),
    num(
        r"Fiction and nonfiction books on a shelf are in the ratio \(5 : 3\). There are 40 books. How many are fiction?",
        25,
        r"\(5 + 3 = 8\) parts make 40 books, so one part is \(40 \div 8 = 5\). Fiction: \(5 \times 5 = 25\).",
    ),
    one(
        r"Which situation is described by the ratio \(1 : 4\)?",
        [
            "1 teacher for every 4 students",
            "4 teachers for every 1 student",
            "1 student out of every 5",
            "4 students and 4 teachers",
        ],
        0,
        r"\(1 : 4\) reads “1 for every 4”, in that order: 1 teacher, 4 students.",
    ),
    num(
        "A bike's pedals turn 2 times for every 5 turns of its back wheel. How many times does the wheel turn "
        "while the pedals turn 10 times?",
        25,
        r"10 pedal turns is \(10 \div 2 = 5\) times the ratio, so the wheel turns \(5 \times 5 = 25\) times.",
    ),
]

UNIT_RATES = [
    num(
        "A car travels 150 miles in 3 hours at a steady speed. How many miles per hour is that?",
        50,
        r"A unit rate is “per 1”: \(\dfrac{150 \text{ mi}}{3 \text{ h}} = 50\) miles per hour.",
    ),
    num(
        "4 notebooks cost $10. How many dollars does one notebook cost?",
        2.5,
        r"\(\$10 \div 4 = \$2.50\) per notebook.",
        tolerance=0.001,
    ),
    one(
        "Which is the better buy?",
        ["6 apples for $3", "10 apples for $4", "They cost the same per apple"],
        1,
        r"Per apple: \(\$3 \div 6 = \$0.50\) and \(\$4 \div 10 = \$0.40\). The 10 for $4 is cheaper per apple.",
    ),
    num(
        "A printer prints 90 pages in 6 minutes. How many pages does it print per minute?",
        15,
        r"\(\dfrac{90 \text{ pages}}{6 \text{ min}} = 15\) pages per minute.",
    ),
    num(
        "A recipe uses 3 eggs for 12 muffins. How many eggs is that per muffin? (A fraction or a decimal.)",
        0.25,
        r"\(\dfrac{3}{12} = \dfrac{1}{4} = 0.25\) of an egg per muffin.",
        tolerance=0.001,
    ),
    num(
        "Maya reads 45 pages in 1.5 hours. How many pages does she read per hour?",
        30,
        r"\(45 \div 1.5 = 30\) pages per hour. (Check: in 1 hour 30 pages, in half an hour 15; \(30 + 15 = 45\).)",
    ),
    one(
        "Which is the unit rate of “$18 for 3 pounds of cheese”?",
        ["$6 per pound", "$3 per pound", "6 pounds per dollar", "$54 per pound"],
        0,
        r"\(\$18 \div 3 = \$6\) for each pound. $54 multiplies instead of dividing.",
    ),
    num(
        "Water fills a tank at 8 litres per minute. How many litres are in the tank after 7 minutes?",
        56,
        r"A unit rate times the time: \(8 \times 7 = 56\) litres.",
    ),
    num(
        "A runner covers 5 km in 25 minutes at a steady pace. How many minutes does each kilometre take?",
        5,
        r"Minutes per kilometre: \(\dfrac{25 \text{ min}}{5 \text{ km}} = 5\).",
    ),
    many(
        "Which are unit rates for “$12 for 4 hours of work”? Choose all that are.",
        ["$3 per hour", r"\(\tfrac{1}{3}\) hour per dollar", "$12 per hour", "4 hours per dollar"],
        [0, 1],
        r"A ratio has two unit rates: \(\dfrac{12}{4} = 3\) dollars per hour and \(\dfrac{4}{12} = \dfrac{1}{3}\) "
        r"hour per dollar.",
    ),
    num(
        "A 12-pack of juice boxes costs $9. How many dollars does one box cost?",
        0.75,
        r"\(\$9 \div 12 = \$0.75\) per box.",
        tolerance=0.001,
    ),
    num(
        "A plant grows 2 cm every 5 days. How many centimetres does it grow per day?",
        0.4,
        r"\(\dfrac{2 \text{ cm}}{5 \text{ days}} = 0.4\) cm per day.",
        tolerance=0.001,
    ),
    one(
        "Sam types 240 words in 4 minutes. Lee types 330 words in 6 minutes. Who types faster?",
        [
            "Sam: 60 words per minute",
            "Lee: 55 words per minute",
            "Lee: 330 words",
            "They type at the same rate",
        ],
        0,
        r"Compare unit rates: \(240 \div 4 = 60\) and \(330 \div 6 = 55\) words per minute. Lee typed more words, "
        r"but over more time.",
    ),
]

RATIO_TABLES = [
    num(
        "2 cups of rice make 6 servings. How many servings do 5 cups make?",
        15,
        r"A ratio table: 1 cup makes \(6 \div 2 = 3\) servings, so 5 cups make \(5 \times 3 = 15\).",
    ),
    num(
        "On a double number line, 0 to 4 hours lines up with 0 to 240 km. Which distance, in km, lines up with 1 hour?",
        60,
        r"Divide both lines into 4 equal steps: \(240 \div 4 = 60\) km for each hour.",
    ),
    num(
        "A ratio table reads 3 → 7, 6 → 14, 9 → ?. What is the missing number?",
        21,
        r"Each row is the first row times a number: 9 is \(3 \times 3\), so \(7 \times 3 = 21\).",
    ),
    num(
        "Apples cost $4 for 3 pounds. How many pounds can you buy with $20?",
        15,
        r"$20 is \(20 \div 4 = 5\) times $4, so you get \(5 \times 3 = 15\) pounds.",
    ),
    num(
        "On a map, 2 cm stands for 5 km. How many kilometres does 14 cm stand for?",
        35,
        r"14 cm is \(14 \div 2 = 7\) times 2 cm, so \(7 \times 5 = 35\) km.",
    ),
    one(
        r"A ratio table for \(2 : 5\) reads 2 → 5, 4 → 10, 6 → ?, 10 → 25. What is missing?",
        ["15", "12", "11", "20"],
        0,
        r"6 is \(2 \times 3\), so the missing value is \(5 \times 3 = 15\). Adding (\(6 + 5 = 11\)) does not keep "
        r"the ratio.",
    ),
    num(
        "There are 12 inches in a foot. How many inches are in 3.5 feet?",
        42,
        r"A unit rate converts units: \(3.5 \times 12 = 42\) inches.",
    ),
    num(
        "How many minutes are in 2.25 hours?",
        135,
        r"\(2.25 \times 60 = 135\) minutes (2 hours is 120 minutes and a quarter hour is 15).",
    ),
    num(
        "Lena earns $42 for 6 hours of babysitting. At that rate, how many dollars does she earn in 10 hours?",
        70,
        r"Her unit rate is \(\$42 \div 6 = \$7\) per hour, and \(10 \times \$7 = \$70\).",
    ),
    one(
        "The points (1, 3), (2, 6) and (3, 9) come from a ratio table. Which equation fits them?",
        [r"\(y = 3x\)", r"\(y = x + 2\)", r"\(y = x + 3\)", r"\(x = 3y\)"],
        0,
        r"Each \(y\) is 3 times its \(x\): \(3 = 3 \times 1\), \(6 = 3 \times 2\), \(9 = 3 \times 3\).",
    ),
    num(
        r"Two numbers are in the ratio \(3 : 8\). The larger one is 40. What is the smaller one?",
        15,
        r"8 parts are 40, so one part is \(40 \div 8 = 5\), and 3 parts are \(3 \times 5 = 15\).",
    ),
    num(
        "A car uses 3 gallons of fuel to go 96 miles. How many gallons does it need to go 160 miles?",
        5,
        r"\(96 \div 3 = 32\) miles per gallon, and \(160 \div 32 = 5\) gallons.",
    ),
    many(
        "Which pairs belong in the same ratio table as (4, 10)? Choose all that do.",
        ["(2, 5)", "(6, 15)", "(8, 18)", "(10, 25)"],
        [0, 1, 3],
        r"\(\dfrac{10}{4} = 2.5\): the second number is always 2.5 times the first. \(8 \times 2.5 = 20\), not 18.",
    ),
]

PERCENT = [
    num("What is 25% of 80?", 20, r"25% is \(\dfrac{25}{100}\): \(\dfrac{25}{100} \times 80 = 20\)."),
    num(
        "A shirt costs $40 and is 30% off. How many dollars is the discount?",
        12,
        r"\(0.30 \times \$40 = \$12\).",
    ),
    num("18 is 30% of what number?", 60, r"\(0.3 \times n = 18\), so \(n = 18 \div 0.3 = 60\)."),
    num("What percent of 12 is 9?", 75, r"\(\dfrac{9}{12} = \dfrac{3}{4} = \dfrac{75}{100} = 75\%\)."),
    one(
        "Which is the same as 40%?",
        [r"\(\dfrac{2}{5}\)", r"\(\dfrac{4}{100}\)", "0.04", r"\(\dfrac{1}{40}\)"],
        0,
        r"\(40\% = \dfrac{40}{100} = \dfrac{2}{5} = 0.4\).",
    ),
    num(
        "A test has 50 questions. Ana got 86% of them right. How many questions did she get right?",
        43,
        r"\(\dfrac{86}{100} \times 50 = 43\).",
    ),
    num(
        "120 students go to a club; 15% of them walk there. How many walk?", 18, r"\(0.15 \times 120 = 18\)."
    ),
    num("What is 150% of 30?", 45, r"150% is more than the whole: \(1.5 \times 30 = 45\)."),
]

EXPONENTS = [
    num(r"Evaluate \(2^5\).", 32, r"\(2^5 = 2 \times 2 \times 2 \times 2 \times 2 = 32\)."),
    num(r"Evaluate \(3^4\).", 81, r"\(3^4 = 3 \times 3 \times 3 \times 3 = 81\), not \(3 \times 4 = 12\)."),
    num(r"Evaluate \(10^3\).", 1000, r"\(10^3 = 10 \times 10 \times 10 = 1000\): a 1 and three zeros."),
    num(r"Evaluate \(4^2 + 3^2\).", 25, r"\(16 + 9 = 25\)."),
    num(
        r"Evaluate \(\left(\tfrac{1}{2}\right)^3\). (A fraction or a decimal.)",
        0.125,
        r"\(\tfrac{1}{2} \times \tfrac{1}{2} \times \tfrac{1}{2} = \tfrac{1}{8} = 0.125\).",
        tolerance=0.0001,
    ),
    num(
        r"Evaluate \(2 \times 3^2\).",
        18,
        r"The exponent comes first: \(3^2 = 9\), then \(2 \times 9 = 18\). It is not \(6^2 = 36\).",
    ),
    one(
        r"Which expression means \(5 \times 5 \times 5 \times 5\)?",
        [r"\(5^4\)", r"\(4^5\)", r"\(5 \times 4\)", r"\(5^5\)"],
        0,
        r"The base 5 is multiplied by itself 4 times: \(5^4 = 625\).",
    ),
    num(r"Evaluate \(0.2^2\).", 0.04, r"\(0.2 \times 0.2 = 0.04\).", tolerance=0.0001),
    num(r"Evaluate \((2 + 3)^2\).", 25, r"Parentheses first: \(2 + 3 = 5\), and \(5^2 = 25\)."),
    num(r"Evaluate \(6^2 - 2^3\).", 28, r"\(6^2 = 36\) and \(2^3 = 8\), so \(36 - 8 = 28\)."),
    one(
        r"Which is greater, \(2^6\) or \(6^2\)?",
        [
            r"\(2^6\), since it is 64",
            r"\(6^2\), since it is 36",
            "They are equal",
            r"\(6^2\), since 6 is larger",
        ],
        0,
        r"\(2^6 = 64\) and \(6^2 = 36\). Swapping base and exponent changes the value.",
    ),
    num(
        r"A cube's edges are 4 cm long; its volume is \(4^3\) cubic centimetres. How many is that?",
        64,
        r"\(4^3 = 4 \times 4 \times 4 = 64\ \text{cm}^3\).",
    ),
    num(
        r"Evaluate \(1^{10} + 10^1\).", 11, r"1 times itself is always 1, and \(10^1 = 10\): \(1 + 10 = 11\)."
    ),
]

EXPRESSIONS = [
    num(r"Evaluate \(3x + 4\) when \(x = 5\).", 19, r"\(3 \times 5 + 4 = 15 + 4 = 19\)."),
    num(r"Evaluate \(\dfrac{a}{4} + 2\) when \(a = 20\).", 7, r"\(\dfrac{20}{4} + 2 = 5 + 2 = 7\)."),
    one(
        r"Which expression means “seven less than a number \(n\)”?",
        [r"\(n - 7\)", r"\(7 - n\)", r"\(7n\)", r"\(\dfrac{n}{7}\)"],
        0,
        r"Start with \(n\) and take 7 away: \(n - 7\). “Seven less than” reverses the order of the words.",
    ),
    one(
        r"In the expression \(5y + 8\), what is the coefficient of \(y\)?",
        ["5", "8", r"\(y\)", "13"],
        0,
        r"The coefficient is the number that multiplies the variable: \(5y\) means \(5 \times y\). 8 is a constant.",
    ),
    num(r"Evaluate \(2(m + 3)\) when \(m = 4\).", 14, r"\(2(4 + 3) = 2 \times 7 = 14\)."),
    num(
        r"A rectangle's area is \(A = lw\). Find \(A\) when \(l = 7\) and \(w = 3\).",
        21,
        r"\(A = 7 \times 3 = 21\) square units.",
    ),
    num(r"Evaluate \(x^2 - 1\) when \(x = 6\).", 35, r"\(6^2 - 1 = 36 - 1 = 35\)."),
    one(
        r"Tickets cost $9 each and parking costs $5. Which expression gives the cost of \(t\) tickets and parking?",
        [r"\(9t + 5\)", r"\(5t + 9\)", r"\(9 + 5t\)", r"\(14t\)"],
        0,
        r"Each ticket adds $9, so \(t\) tickets cost \(9t\); parking is paid once: \(9t + 5\).",
    ),
    many(
        r"Which are terms of \(4x + 3y + 7\)? Choose all that are.",
        [r"\(4x\)", r"\(3y\)", "7", r"\(+\)"],
        [0, 1, 2],
        r"Terms are the parts joined by \(+\) or \(-\): \(4x\), \(3y\) and 7. The sign itself is not a term.",
    ),
    num(
        r"A square's perimeter is \(P = 4s\). Find \(P\) when \(s = 2.5\).",
        10,
        r"\(P = 4 \times 2.5 = 10\).",
    ),
    num(r"Evaluate \(\dfrac{k + 6}{3}\) when \(k = 9\).", 5, r"\(\dfrac{9 + 6}{3} = \dfrac{15}{3} = 5\)."),
    num(
        r"Distance is \(d = rt\). How many miles does a cyclist ride at \(r = 12\) miles per hour for \(t = 1.5\) hours?",
        18,
        r"\(d = 12 \times 1.5 = 18\) miles.",
    ),
    one(
        r"Which expression means “the product of 6 and the sum of \(p\) and 2”?",
        [r"\(6(p + 2)\)", r"\(6p + 2\)", r"\(6 + p + 2\)", r"\(p + 12\)"],
        0,
        r"The sum \(p + 2\) is one quantity, so it goes in parentheses, then times 6: \(6(p + 2)\).",
    ),
]

EQUIVALENT = [
    one(
        r"Which expression is equivalent to \(3(x + 4)\)?",
        [r"\(3x + 12\)", r"\(3x + 4\)", r"\(x + 12\)", r"\(7x\)"],
        0,
        r"The distributive property multiplies each term: \(3 \cdot x + 3 \cdot 4 = 3x + 12\).",
    ),
    one(
        r"Which expression is equivalent to \(5a + 2a\)?",
        [r"\(7a\)", r"\(10a\)", r"\(7a^2\)", "7"],
        0,
        r"Like terms add their coefficients: \(5a + 2a = (5 + 2)a = 7a\).",
    ),
    one(
        r"Which is \(6y + 9\) written as a product?",
        [r"\(3(2y + 3)\)", r"\(3(2y + 9)\)", r"\(6(y + 3)\)", r"\(9(y + 1)\)"],
        0,
        r"The greatest common factor of 6 and 9 is 3: \(6y + 9 = 3 \cdot 2y + 3 \cdot 3 = 3(2y + 3)\).",
    ),
    many(
        r"Which are equivalent to \(2(n + 5)\)? Choose all that are.",
        [r"\(2n + 10\)", r"\(n + 5 + n + 5\)", r"\(2n + 5\)", r"\(10 + 2n\)"],
        [0, 1, 3],
        r"\(2(n + 5) = 2n + 10\); twice \(n + 5\) is also \(n + 5 + n + 5\), and order does not matter in a sum. "
        r"\(2n + 5\) forgot to double the 5.",
    ),
    num(
        r"Combine like terms: \(4x + 3 + 2x - 1 = ax + b\). What is \(a\)?",
        6,
        r"The \(x\) terms: \(4x + 2x = 6x\); the constants: \(3 - 1 = 2\). So \(6x + 2\), and \(a = 6\).",
    ),
    num(
        r"Combine like terms: \(8m + 5 - 3m + 4 = am + b\). What is \(b\)?",
        9,
        r"The constants: \(5 + 4 = 9\); the \(m\) terms: \(8m - 3m = 5m\). So \(5m + 9\), and \(b = 9\).",
    ),
    num(
        r"Check that \(3(x + 4)\) and \(3x + 12\) agree at \(x = 2\). What value do both give?",
        18,
        r"\(3(2 + 4) = 3 \times 6 = 18\) and \(3 \times 2 + 12 = 6 + 12 = 18\). Equivalent expressions agree "
        r"for every \(x\).",
    ),
    one(
        r"Which expression is NOT equivalent to \(12k\)?",
        [r"\(12 + k\)", r"\(10k + 2k\)", r"\(3(4k)\)", r"\(6k \cdot 2\)"],
        0,
        r"\(12 + k\) adds 12 instead of multiplying: at \(k = 1\) it is 13, while \(12k\) is 12.",
    ),
    num(
        r"Expand \(5(2p - 1) = ap + b\). What is \(b\)?",
        -5,
        r"\(5 \cdot 2p - 5 \cdot 1 = 10p - 5\), so \(b = -5\).",
    ),
    one(
        r"Which shows \(8x + 12\) factored with the greatest common factor?",
        [r"\(4(2x + 3)\)", r"\(2(4x + 6)\)", r"\(8(x + 12)\)", r"\(4(2x + 12)\)"],
        0,
        r"The greatest common factor of 8 and 12 is 4: \(4(2x + 3)\). \(2(4x + 6)\) is equivalent but 2 is not "
        r"the greatest factor.",
    ),
    num(
        r"Combine like terms: \(y + y + y + 4 = ay + b\). What is \(a\)?",
        3,
        r"Each \(y\) is \(1y\): \(1y + 1y + 1y = 3y\), so \(3y + 4\) and \(a = 3\).",
    ),
    one(
        r"Which property turns \(7(a + b)\) into \(7a + 7b\)?",
        [
            "The distributive property",
            "The commutative property",
            "The associative property",
            "The identity property",
        ],
        0,
        "The distributive property: multiplying a sum is multiplying each term of it.",
    ),
    num(
        r"Expand \(\tfrac{1}{2}(6w + 10) = aw + b\). What is \(a\)?",
        3,
        r"\(\tfrac{1}{2} \cdot 6w + \tfrac{1}{2} \cdot 10 = 3w + 5\), so \(a = 3\).",
    ),
]

EQUATIONS = [
    num(
        r"Solve \(x + 7 = 15\).", 8, r"Subtract 7 from both sides: \(x = 15 - 7 = 8\). Check: \(8 + 7 = 15\)."
    ),
    num(r"Solve \(4y = 36\).", 9, r"Divide both sides by 4: \(y = 36 \div 4 = 9\)."),
    num(r"Solve \(\dfrac{n}{5} = 6\).", 30, r"Multiply both sides by 5: \(n = 6 \times 5 = 30\)."),
    num(r"Solve \(m - 2.5 = 4\).", 6.5, r"Add 2.5 to both sides: \(m = 4 + 2.5 = 6.5\).", tolerance=0.0001),
    num(
        r"Solve \(\tfrac{2}{3}k = 10\).",
        15,
        r"Multiply both sides by \(\tfrac{3}{2}\): \(k = 10 \times \tfrac{3}{2} = 15\).",
    ),
    num(r"Solve \(12 = 3 + p\).", 9, r"Subtract 3 from both sides: \(p = 12 - 3 = 9\)."),
    one(
        r"Which value of \(x\) makes \(3x = 21\) true?",
        ["7", "18", "24", "63"],
        0,
        r"\(3 \times 7 = 21\). (18 subtracts and 24 adds 3; 63 multiplies by 3 instead of dividing.)",
    ),
    many(
        r"Which numbers are solutions of \(x > 4\)? Choose all that are.",
        ["5", "4", "10", "4.5", "0"],
        [0, 2, 3],
        r"Every number greater than 4 works: 5, 10 and 4.5. 4 itself is not greater than 4.",
    ),
    num(
        r"A movie ticket and a $3 popcorn cost $14 together: \(t + 3 = 14\). How many dollars is the ticket?",
        11,
        r"\(t = 14 - 3 = 11\) dollars.",
    ),
    one(
        r"Which inequality says “at most 30 students fit on the bus” (\(s\) students)?",
        [r"\(s \le 30\)", r"\(s < 30\)", r"\(s \ge 30\)", r"\(s > 30\)"],
        0,
        r"“At most 30” allows 30 and fewer: \(s \le 30\).",
    ),
    num(r"Solve \(0.4w = 2\).", 5, r"\(w = 2 \div 0.4 = 5\). Check: \(0.4 \times 5 = 2\)."),
    num(
        r"Six equal packs hold 48 pencils in all: \(6p = 48\). How many pencils are in each pack?",
        8,
        r"\(p = 48 \div 6 = 8\).",
    ),
    one(
        "Which equation says “a number decreased by 9 is 20”?",
        [r"\(n - 9 = 20\)", r"\(9 - n = 20\)", r"\(n + 9 = 20\)", r"\(9n = 20\)"],
        0,
        r"Start with the number and take 9 away: \(n - 9 = 20\) (so \(n = 29\)).",
    ),
]

STATISTICAL_QUESTIONS = [
    many(
        "Which are statistical questions (ones whose answers vary)? Choose all that are.",
        [
            "How many hours of sleep do the students in our class get?",
            "How tall is the school's flagpole?",
            "How long are the songs on my playlist?",
            r"What is \(7 \times 8\)?",
        ],
        [0, 2],
        "A statistical question expects many different answers (students sleep different hours; songs have "
        "different lengths). The flagpole and the product each have one answer.",
    ),
    one(
        "Which is a statistical question?",
        [
            "How many pets do the students in grade 6 have?",
            "How many pets does Ana have?",
            "What color is this pen?",
            "When does school start today?",
        ],
        0,
        "Asked of many students, the answers vary; the others each have a single answer.",
    ),
    one(
        "Why is “How old am I?” not a statistical question?",
        [
            "It has one answer, with no variability",
            "It is about age",
            "It uses numbers",
            "It is too personal",
        ],
        0,
        "A statistical question anticipates variability in the answers; one person's age is one number.",
    ),
    text(
        "Turn “How many books did Leo read last month?” into a statistical question by asking about many people: "
        "“How many books did the students in our ___ read last month?” Type the missing word.",
        ["class", "school", "grade"],
        "Asking a whole class (or school, or grade) gives many answers that vary: data to summarize.",
    ),
    one(
        "Which data set shows the most variability?",
        ["2, 9, 15, 30", "5, 5, 6, 6", "10, 10, 10, 10", "7, 8, 7, 8"],
        0,
        r"Its values spread from 2 to 30 (a range of \(30 - 2 = 28\)); the others barely change.",
    ),
    one(
        "“What is your favorite sport?”, asked of 30 students: is it a statistical question?",
        [
            "Yes: the answers vary from student to student",
            "No: its answers are not numbers",
            "No: it has one answer",
            "Only if everyone gives the same answer",
        ],
        0,
        "Categorical data (sports) can vary too; a statistical question needs variability, not numbers.",
    ),
]

DISTRIBUTIONS = [
    num("Data: 3, 5, 5, 6, 11. What is the range?", 8, r"Range is largest minus smallest: \(11 - 3 = 8\)."),
    one(
        "Data: 2, 3, 3, 4, 15. What is 15?",
        ["An outlier", "The median", "The mode", "The center"],
        0,
        "15 lies far from the other values: an outlier. The median is 3 and so is the mode.",
    ),
    num("Data: 4, 7, 7, 8, 9. What is the mode?", 7, "The mode is the most frequent value: 7 appears twice."),
    one(
        "A dot plot has most of its dots on the left and a long tail to the right. Its shape is:",
        ["Skewed right", "Skewed left", "Symmetric", "Uniform"],
        0,
        "A distribution is skewed toward its long tail: here, the right.",
    ),
    num("Data: 1, 4, 6, 8, 10. What is the median?", 6, "In order, the middle (3rd of 5) value is 6."),
    one(
        "Which measure describes the spread of a data set?",
        ["Range", "Median", "Mean", "Mode"],
        0,
        "Range (and interquartile range) measure spread; median, mean and mode measure center.",
    ),
]

SUMMARIES = [
    num(
        "What is the mean of 4, 8, 6, 10 and 2?",
        6,
        r"\(\dfrac{4 + 8 + 6 + 10 + 2}{5} = \dfrac{30}{5} = 6\).",
    ),
    num(
        "What is the median of 9, 3, 7, 1, 5, 11?",
        6,
        r"In order: 1, 3, 5, 7, 9, 11. With an even count, average the two middle values: \(\dfrac{5 + 7}{2} = 6\).",
    ),
    num(
        "For the data 2, 4, 5, 7, 9, 10, 12, 15 the first quartile is 4.5 and the third is 11. "
        "What is the interquartile range?",
        6.5,
        r"\(\text{IQR} = Q_3 - Q_1 = 11 - 4.5 = 6.5\).",
        tolerance=0.0001,
    ),
    num("What is the mean of 12, 15 and 18?", 15, r"\(\dfrac{12 + 15 + 18}{3} = \dfrac{45}{3} = 15\)."),
    one(
        "Data: 3, 4, 4, 5, 40. Which value best describes a typical value?",
        ["The median, 4, because 40 pulls the mean up", "The mean, 11.2", "The range, 37", "40"],
        0,
        r"The mean is \(\dfrac{56}{5} = 11.2\), larger than four of the five values; the median resists the outlier.",
    ),
    num(
        "Four test scores have a mean of 80. What is their sum?",
        320,
        r"Mean \(= \dfrac{\text{sum}}{4}\), so sum \(= 80 \times 4 = 320\).",
    ),
]

# --- ELA: two short passages written for the demo, and questions on them. ---

STORY = (
    "“The Last Tomato”: Priya had watered the community garden all summer. When the heat came, only one "
    "tomato plant survived, and on it hung one red tomato. Mr. Ortiz, who lived alone on the corner, stopped "
    "at the fence every evening to look at it. On the last day of August, Priya picked the tomato, turned it "
    "in her hands, and walked it to Mr. Ortiz's door. “You watched it grow,” she said. He laughed for the "
    "first time that summer."
)
ARGUMENT = (
    "“Walk at Lunch”: Our school should start a lunchtime walking club. Students who move at midday focus "
    "better in the afternoon: in our grade 6 survey, 7 of 10 students said they feel restless after lunch. "
    "The club would cost nothing, since the track is already there. Some say students need the time to rest, "
    "but for many people a walk is rest. Besides, my friends think it's a great idea."
)

CITING_EVIDENCE = [
    one(
        f"{STORY}\n\nWhich sentence best supports the idea that Mr. Ortiz cared about the tomato?",
        [
            "He stopped at the fence every evening to look at it.",
            "Priya had watered the community garden all summer.",
            "Only one tomato plant survived.",
            "It was the last day of August.",
        ],
        0,
        "Coming back every evening shows his interest; the other sentences are about the garden or the date.",
    ),
    one(
        f"{STORY}\n\nWhat can you infer from the detail that Mr. Ortiz “lived alone”?",
        ["He may have been lonely", "He owned the garden", "He disliked tomatoes", "He was Priya's teacher"],
        0,
        "Living alone, and laughing “for the first time that summer”, together suggest loneliness.",
    ),
    text(
        f"{STORY}\n\nType the first two words Priya says at Mr. Ortiz's door.",
        ["you watched"],
        "“You watched it grow,” she said. Quoting exactly is how you cite a text.",
    ),
    many(
        f"{STORY}\n\nWhich details show that the summer was hard on the garden? Choose all that do.",
        [
            "When the heat came, only one tomato plant survived",
            "on it hung one red tomato",
            "Priya had watered the community garden all summer",
            "He laughed for the first time that summer",
        ],
        [0, 1],
        "One plant and one tomato left after the heat: the garden suffered. Watering shows Priya's effort; the "
        "laugh is about Mr. Ortiz.",
    ),
    one(
        "Which is the strongest way to cite evidence in an answer?",
        [
            "Quote the words and say where they are: “He laughed for the first time that summer” (last line).",
            "Write “the story shows it”.",
            "Retell the whole story.",
            "Give your opinion of tomatoes.",
        ],
        0,
        "Exact words plus where they come from let a reader check your evidence.",
    ),
    one(
        f"{STORY}\n\n“He laughed for the first time that summer.” What does this sentence suggest?",
        [
            "Priya's gift changed his mood",
            "He thought the tomato was funny",
            "He laughs every day",
            "Priya told a joke",
        ],
        0,
        "“For the first time that summer” tells us he had not laughed for months: the gift reached him.",
    ),
]

THEME = [
    one(
        f"{STORY}\n\nWhich statement best expresses a theme of the story?",
        [
            "Small acts of kindness can connect people.",
            "Gardening is hard work in summer.",
            "Tomatoes need water.",
            "Neighbors should build fences.",
        ],
        0,
        "A theme is a message about life, stated as a sentence; the others are details or topics.",
    ),
    one(
        "What is a theme?",
        [
            "A message about life that a story conveys",
            "The topic in one word",
            "A summary of the plot",
            "The setting",
        ],
        0,
        "“Friendship” is a topic; “Friendship can grow from small gestures” is a theme.",
    ),
    one(
        f"{STORY}\n\nWhich detail does the most to convey the theme?",
        [
            "Priya walks the tomato to Mr. Ortiz's door.",
            "The heat came.",
            "It was August.",
            "The garden is a community garden.",
        ],
        0,
        "Her choice to give away the one tomato is the act of kindness the story turns on.",
    ),
    many(
        "Which are themes (complete statements), not topics? Choose all that are.",
        ["Friendship can grow from small gestures.", "Friendship", "Patience is rewarded.", "Gardens"],
        [0, 2],
        "Themes say something about a topic in a full sentence.",
    ),
    one(
        f"{STORY}\n\nHow does Mr. Ortiz's laugh at the end help show the theme?",
        [
            "It shows the gift reached him",
            "It shows he will start a garden",
            "It shows the tomato was ripe",
            "It shows Priya was tired",
        ],
        0,
        "A character's change at the end often reveals the theme: kindness changed his summer.",
    ),
    one(
        "How is a summary different from a statement of theme?",
        [
            "A summary retells events; a theme states the message behind them",
            "They are the same",
            "A theme is always longer",
            "A summary includes your opinion",
        ],
        0,
        "Summarize what happens; state the theme as what the story says about life.",
    ),
]

EVALUATING_ARGUMENTS = [
    one(
        f"{ARGUMENT}\n\nWhat is the author's claim?",
        [
            "The school should start a lunchtime walking club.",
            "Students feel restless.",
            "The track is already there.",
            "Walking is restful.",
        ],
        0,
        "The claim is the position the whole text argues for; the others are reasons.",
    ),
    one(
        f"{ARGUMENT}\n\nWhich reason is supported by evidence?",
        [
            "Students feel restless after lunch (the grade 6 survey)",
            "My friends think it's a great idea",
            "For many people a walk is rest",
            "The club would be fun",
        ],
        0,
        "The survey is data the reader can check; the other reasons are opinions.",
    ),
    one(
        f"{ARGUMENT}\n\nWhich sentence is NOT relevant, sound evidence?",
        [
            "Besides, my friends think it's a great idea.",
            "7 of 10 students said they feel restless after lunch.",
            "The track is already there.",
            "The club would cost nothing.",
        ],
        0,
        "What the author's friends think does not show the club would help anyone focus.",
    ),
    one(
        f"{ARGUMENT}\n\n“Some say students need the time to rest…” What is the author doing here?",
        ["Answering a counterclaim", "Giving a statistic", "Stating the claim", "Summarizing"],
        0,
        "The author names an opposing view, then answers it (“for many people a walk is rest”).",
    ),
    num(
        f"{ARGUMENT}\n\nIn the survey, 7 of 10 students said they feel restless. What percent is that?",
        70,
        r"\(\dfrac{7}{10} = \dfrac{70}{100} = 70\%\). Checking a text's numbers is part of evaluating it.",
    ),
    many(
        f"{ARGUMENT}\n\nWhich would make the argument stronger? Choose all that would.",
        [
            "Data on afternoon focus after a walk",
            "A note from the PE teacher that the track is free at lunch",
            "More friends who agree",
            "A longer title",
        ],
        [0, 1],
        "Relevant, checkable evidence strengthens reasons; more opinions do not.",
    ),
]

WRITING_ARGUMENTS = [
    one(
        "Which is a clear claim for an argument?",
        [
            "Our school should add ten minutes to lunch.",
            "Lunch is a meal.",
            "Some people eat lunch.",
            "What is lunch?",
        ],
        0,
        "A claim takes a position someone could disagree with.",
    ),
    one(
        "Which words best introduce a reason?",
        ["One reason is that", "Once upon a time", "In conclusion", "Meanwhile"],
        0,
        "Transitions show how ideas connect: this one signals a reason for the claim.",
    ),
    text(
        "Complete the sentence: “A strong argument supports its claim with reasons and ___.”",
        ["evidence"],
        "Reasons say why; evidence (facts, data, quotations) shows that the reasons are true.",
    ),
    one(
        "Which is the best concluding sentence for an argument for a longer lunch?",
        [
            "For calmer, healthier afternoons, the school should lengthen lunch by ten minutes.",
            "Lunch is nice.",
            "Also, the gym is big.",
            "Some students bring sandwiches.",
        ],
        0,
        "A conclusion restates the claim and why it matters.",
    ),
    many(
        "What belongs in a body paragraph of an argument? Choose all that does.",
        [
            "A reason",
            "Evidence for that reason",
            "How the evidence supports the reason",
            "A new, unrelated story",
        ],
        [0, 1, 2],
        "Reason, evidence, explanation: each paragraph builds one part of the case.",
    ),
    one(
        "Which style suits a letter to the school board?",
        ["Formal and respectful", "Sarcastic", "Angry and insulting", "Jokey, full of slang"],
        0,
        "A formal style keeps the reader's attention on your reasons.",
    ),
]

COUNTERCLAIMS = [
    one(
        "Which sentence acknowledges an opposing claim?",
        [
            "Some argue a longer school day tires students; however, ...",
            "Longer days are best.",
            "I think I am right.",
            "Everyone agrees with me.",
        ],
        0,
        "It states what the other side says before answering it.",
    ),
    one(
        "What is a counterclaim?",
        ["A claim that opposes yours", "Your main claim", "A piece of evidence", "The conclusion"],
        0,
        "Naming and answering counterclaims shows you have considered other views.",
    ),
    one(
        "After stating a counterclaim, a writer should:",
        ["Answer it with reasons and evidence", "Ignore it", "Drop their own claim", "End the essay"],
        0,
        "The rebuttal explains why your claim still holds.",
    ),
    text(
        "Type the transition word that often begins a rebuttal: “Some say uniforms limit self-expression; "
        "___, they also reduce pressure to buy expensive clothes.” (It starts with h.)",
        ["however"],
        "“However” signals a turn from the counterclaim to your answer.",
    ),
    many(
        "Which are credible sources for an argument about school start times? Choose all that are.",
        [
            "A study from a university sleep research center",
            "A report from a national health agency",
            "An anonymous comment online",
            "An advertisement for alarm clocks",
        ],
        [0, 1],
        "Credible sources have expertise and no reason to mislead; anonymous or selling sources do not.",
    ),
    one(
        "Which is relevant evidence for “Schools should start later”?",
        [
            "A study found that teens slept more after their district moved start times later.",
            "Buses are yellow.",
            "My cousin likes mornings.",
            "School has many classes.",
        ],
        0,
        "Only the study bears on whether later starts help students.",
    ),
]

QUESTIONS: dict[str, list[dict]] = {
    "6.RP.1": RATIO_LANGUAGE,
    "6.RP.2": UNIT_RATES,
    "6.RP.3": RATIO_TABLES,
    "6.RP.4": PERCENT,
    "6.EE.1": EXPONENTS,
    "6.EE.2": EXPRESSIONS,
    "6.EE.3": EQUIVALENT,
    "6.EE.4": EQUATIONS,
    "6.SP.1": STATISTICAL_QUESTIONS,
    "6.SP.2": DISTRIBUTIONS,
    "6.SP.3": SUMMARIES,
    "RL.6.1": CITING_EVIDENCE,
    "RL.6.2": THEME,
    "RI.6.8": EVALUATING_ARGUMENTS,
    "W.6.1": WRITING_ARGUMENTS,
    "W.7.1": COUNTERCLAIMS,
}

# The competencies the demo promises a full bank for (at least 12 questions, each explained).
FULL_BANKS = ("6.RP.1", "6.RP.2", "6.RP.3", "6.EE.1", "6.EE.2", "6.EE.3", "6.EE.4")
