"""Common whole-word misspellings, and spelling-rule slips for words not in the list.

Real misspellings are not keyboard slips: people double or single the wrong letter,
swap ie/ei, or spell by sound. The list favours words customers type to a service
desk; ``misspell`` falls back to those rules for other words.
"""

from __future__ import annotations

import random
import re

# word -> ways people misspell it (hand-written; lower case)
MISSPELLINGS: dict[str, tuple[str, ...]] = {
    "a lot": ("alot",), "absolutely": ("absolutly", "absolutley"),
    "accept": ("except",), "acceptable": ("acceptible",),
    "accidentally": ("accidently",), "accommodate": ("accomodate", "acommodate"),
    "account": ("acount", "accout"), "achieve": ("acheive",),
    "acknowledge": ("acknowlege",), "across": ("accross",),
    "actually": ("actualy", "acually"), "address": ("adress", "addres"),
    "again": ("agian",), "agreement": ("agreemnt",), "already": ("allready", "alredy"),
    "although": ("altho", "allthough"), "apparently": ("apparantly", "aparently"),
    "appointment": ("apointment", "appoitment", "appointmant"),
    "appreciate": ("apreciate", "appriciate"), "argument": ("arguement",),
    "arrive": ("arive",), "arrived": ("arived", "arrivd"), "available": ("availible", "avaliable"),
    "basically": ("basicly",), "because": ("becuase", "becasue", "beacuse"),
    "before": ("befor",), "beginning": ("begining",), "believe": ("beleive", "belive"),
    "between": ("betwen",), "billing": ("biling",), "business": ("buisness", "busness"),
    "calendar": ("calender",), "cancel": ("cancell", "cancle"),
    "cancellation": ("cancelation", "cancelation"), "cancelled": ("canceled", "cancled"),
    "card": ("crad",), "category": ("catagory",), "certain": ("certian",),
    "change": ("chnage", "chang"), "changed": ("chnaged",), "charge": ("chrage",),
    "charged": ("chraged",), "check": ("chek",), "colleague": ("collegue",),
    "coming": ("comming",), "committed": ("commited",), "completely": ("completly",),
    "confirm": ("confrim", "comfirm"), "confirmation": ("confirmaton", "comfirmation"),
    "conscious": ("concious",), "convenient": ("convienient", "convenant"),
    "correct": ("corect",), "could": ("coud",), "customer": ("costumer", "custommer"),
    "deceive": ("decieve",), "definitely": ("definately", "definitly", "defiantly"),
    "delivered": ("deliverd", "delievered"), "delivery": ("delievery", "delivary"),
    "description": ("discription",), "different": ("diffrent", "differant"),
    "difficult": ("dificult",), "disappear": ("dissapear",),
    "disappointed": ("dissapointed", "disapointed"), "doesn't": ("dosen't", "doesnt"),
    "e-mail": ("emial",), "email": ("emial", "e mail"), "embarrass": ("embarass",),
    "environment": ("enviroment",), "especially": ("expecially", "especialy"),
    "exactly": ("exactley",), "exercise": ("excercise",), "existence": ("existance",),
    "experience": ("experiance",), "explanation": ("explaination",),
    "familiar": ("familar",), "february": ("febuary",), "finally": ("finaly",),
    "foreign": ("foriegn",), "forward": ("foward",), "friend": ("freind",),
    "government": ("goverment",), "grateful": ("greatful",), "guarantee": ("garantee", "guarentee"),
    "happened": ("happend",), "harass": ("harrass",), "height": ("heigth",),
    "immediately": ("immediatly", "imediately"), "independent": ("independant",),
    "information": ("infomation", "imformation"), "interested": ("intrested",),
    "invoice": ("invoce",), "knowledge": ("knowlege",), "library": ("libary",),
    "license": ("licence", "lisence"), "lose": ("loose",), "maintenance": ("maintainance",),
    "manager": ("manger",), "message": ("mesage", "massage"), "minute": ("minite",),
    "mischievous": ("mischievious",), "necessary": ("neccessary", "necesary"),
    "neighbour": ("nieghbour", "neighbor"), "noticeable": ("noticable",),
    "number": ("numbr", "nubmer"), "occasion": ("occassion",),
    "occurred": ("occured",), "occurrence": ("occurance",), "of course": ("ofcourse",),
    "online": ("onlne",), "order": ("oder", "ordr"), "ordered": ("orderd",),
    "parcel": ("parcle", "parsel"), "particular": ("perticular",),
    "password": ("pasword", "passwrod"),
    "payment": ("paymnet", "payement"), "people": ("poeple",), "perhaps": ("perhap",),
    "persistent": ("persistant",), "phone": ("fone",), "please": ("plese", "pleas"),
    "possession": ("posession",), "possible": ("possable",), "probably": ("probly", "probaly"),
    "problem": ("problme", "probelm"), "pronunciation": ("pronounciation",),
    "publicly": ("publically",), "purchase": ("purchace",), "quite": ("quiet",),
    "really": ("realy", "relly"), "receipt": ("reciept", "receit"),
    "receive": ("recieve", "recive"),
    "received": ("recieved", "recived"), "recommend": ("recomend", "reccomend"),
    "refund": ("refud",), "remember": ("remeber",), "replacement": ("replacment",),
    "reschedule": ("reshedule", "rescedule"), "responsible": ("responsable",),
    "restaurant": ("restaraunt",), "rhythm": ("rythm",), "schedule": ("shedule", "schedual"),
    "separate": ("seperate",), "service": ("servise",), "should": ("shoud",),
    "since": ("sence",), "sincerely": ("sincerly",), "something": ("somthing", "sumthing"),
    "speak": ("speek",), "still": ("stil",), "straight": ("strait",),
    "subscription": ("subcription", "subsciption"), "successful": ("succesful", "sucessful"),
    "supposed": ("suppose",), "surprise": ("suprise",), "their": ("thier",),
    "there": ("their",), "they're": ("their", "there"), "though": ("tho",),
    "thought": ("thougth",), "through": ("thru", "throught"), "today": ("todya",),
    "tomorrow": ("tommorow", "tomorow", "tommorrow"), "tongue": ("tounge",),
    "tracking": ("traking",), "truly": ("truely",), "until": ("untill",),
    "unfortunately": ("unfortunatly", "unfortunetly"), "unusual": ("unusal",),
    "useful": ("usefull",), "usually": ("usualy",), "vacuum": ("vaccum",),
    "wednesday": ("wensday", "wedensday"), "weird": ("wierd",), "where": ("were", "wher"),
    "whether": ("wether",), "which": ("wich",), "with": ("wiht",), "would": ("woud",),
    "writing": ("writting",), "written": ("writen",), "you're": ("your",),
    "your": ("ur", "yuor"), "yesterday": ("yesturday", "yestarday"),
    "weeks": ("weaks",), "waiting": ("wating",), "answer": ("anwser",),
    "thanks": ("thnaks", "thx"), "know": ("kno",), "what": ("waht",),
    "want": ("wnat",), "when": ("wen",), "about": ("abuot",), "because of": ("becuz of",),
    "hasn't": ("hasnt",), "haven't": ("havent",), "isn't": ("isnt",),
}  # fmt: skip

_DOUBLE = re.compile(r"([b-df-hj-np-tv-z])\1")
_SINGLE = re.compile(r"(?<=[aeiou])([bcdfglmnprst])(?=[aeiouy])")
_SOUNDS = (
    ("ie", "ei"), ("ei", "ie"), ("ence", "ance"), ("ance", "ence"), ("ible", "able"),
    ("able", "ible"), ("ph", "f"), ("ould", "ud"), ("tion", "shun"), ("ery", "ary"),
)  # fmt: skip


def misspell(word: str, rng: random.Random) -> str | None:
    """A misspelling of a lower-case word, or None when no plausible one is known."""
    known = MISSPELLINGS.get(word)
    if known is not None:
        return known[0] if len(known) == 1 else rng.choice(known)
    if len(word) < 4 or not word.isalpha():
        return None
    return _by_rule(word, rng)


def _by_rule(word: str, rng: random.Random) -> str | None:
    """A doubled letter singled, a single one doubled, or a sound spelt another way."""
    options: list[str] = []
    double = _DOUBLE.search(word)
    if double is not None:
        options.append(word[: double.start()] + word[double.start() + 1 :])
    for old, new in _SOUNDS:
        at = word.find(old, 1)
        if at > 0:
            options.append(word[:at] + new + word[at + len(old) :])
    if not options:
        single = _SINGLE.search(word)
        if single is not None:
            at = single.start()
            options.append(word[:at] + word[at] + word[at:])
    if not options:
        return None
    return options[0] if len(options) == 1 else rng.choice(options)
