"""The demo story: the gifts Vladimir Putin and Kim Jong Un exchanged in 2023–2024.

Every record carries its sources. Loading is idempotent: a record is written only when it
is missing or differs from the story, so a second load changes nothing (not even history).
"""

import datetime

from django.db import transaction

from .models import (
    DatePrecision,
    FlagStatus,
    Gift,
    Leader,
    PublicationStatus,
    SanctionsFlag,
    SanctionsRegime,
    Source,
    Visit,
    VisitKind,
)

D = datetime.date
PUBLISHED = PublicationStatus.PUBLISHED

SOURCES = {
    "S1": {
        "url": "https://www.breitbart.com/asia/2024/06/20/vladimir-putin-and-kim-jong-un-trade-dogs-limousine-and-more-as-gifts/",
        "title": "Vladimir Putin and Kim Jong-un Trade Dogs, Limousine, and More as Gifts "
        "(by Christian K. Caruzo)",
        "publisher": "Breitbart News",
        "published_on": D(2024, 6, 20),
    },
    "S2": {
        "url": "https://www.cbsnews.com/news/north-korea-kim-jong-un-putin-gifts-photos-show-limousine-hunting-dogs/",
        "title": "Photos show Kim Jong Un and Putin sharing gifts – including a limo and "
        "hunting dogs",
        "publisher": "CBS News",
        "published_on": D(2024, 6, 20),
    },
    "S3": {
        "url": "https://www.nbcnews.com/news/world/north-korea-kim-jong-un-vladimir-putin-car-luxury-goods-united-nations-rcna139512",
        "title": "[report: Kim Jong Un receives a car from Putin, a possible breach of a UN "
        "resolution]",
        "publisher": "NBC News",
        "published_on": D(2024, 2, 20),
    },
    "S4": {
        "url": "https://kyivindependent.com/north-korean-media-putin-gifts-car-to-kim-jong-un/",
        "title": "[report: North Korean media say Putin gave Kim Jong Un a car]",
        "publisher": "The Kyiv Independent",
        "published_on": D(2024, 2, 20),
    },
    "S5": {
        "url": "https://press.un.org/en/2024/sc15648.doc.htm",
        "title": "Security Council Fails to Extend Mandate for Expert Panel Assisting Sanctions "
        "Committee on Democratic People's Republic of Korea (SC/15648)",
        "publisher": "United Nations",
        "published_on": D(2024, 3, 28),
    },
    "S6": {
        "url": "https://undocs.org/S/RES/1718(2006)",
        "title": "Resolution 1718 (2006)",
        "publisher": "UN Security Council",
        "published_on": D(2006, 10, 14),
    },
    "S7": {
        "url": "https://undocs.org/S/RES/2094(2013)",
        "title": "Resolution 2094 (2013)",
        "publisher": "UN Security Council",
        "published_on": D(2013, 3, 7),
    },
    "S8": {
        "url": "https://undocs.org/S/RES/2321(2016)",
        "title": "Resolution 2321 (2016)",
        "publisher": "UN Security Council",
        "published_on": D(2016, 11, 30),
    },
    "S9": {
        "url": "https://undocs.org/S/RES/2397(2017)",
        "title": "Resolution 2397 (2017)",
        "publisher": "UN Security Council",
        "published_on": D(2017, 12, 22),
    },
}

PUTIN_TITLE = "President of Russia"
KIM_TITLE = (
    "General Secretary of the Workers' Party of Korea and President of the State Affairs "
    "of the DPRK"
)

LEADERS = {
    "putin": {
        "name": "Vladimir Putin",
        "country": "RU",
        "native_name": "Владимир Владимирович Путин",
        "aliases": [],
        "title": PUTIN_TITLE,
        "slug": "vladimir-putin",
        "wikidata_id": "Q7747",
    },
    "kim": {
        "name": "Kim Jong Un",
        "country": "KP",
        "native_name": "김정은",
        "aliases": ["Kim Jong-eun", "Kim Jong-un"],
        "title": KIM_TITLE,
        "slug": "kim-jong-un",
        "wikidata_id": "Q56226",
    },
}

VISITS = {
    "vostochny": {
        "slug": "kim-jong-un-visit-to-russia-2023",
        "title": "Kim Jong Un's visit to Russia",
        "kind": VisitKind.SUMMIT,
        "host_country": "RU",
        "city": "",
        "venue": "Vostochny Cosmodrome",
        "start_date": D(2023, 9, 12),
        "end_date": D(2023, 9, 17),
        "summary": (
            "Kim Jong Un travelled to Russia from 12 to 17 September 2023 and held a summit "
            "with Vladimir Putin on 13 September at the Vostochny Cosmodrome in the Amur "
            "Oblast. Putin showed Kim his Aurus Senat limousine there."
        ),
        "publication_status": PUBLISHED,
        "visitors": ["kim"],
        "hosts": ["putin"],
        "sources": ["S4"],
    },
    "pyongyang": {
        "slug": "putin-state-visit-to-the-dprk-2024",
        "title": "Putin's state visit to the DPRK",
        "kind": VisitKind.STATE_VISIT,
        "host_country": "KP",
        "city": "Pyongyang",
        "venue": "Kumsusan Guesthouse",
        "start_date": D(2024, 6, 18),
        "end_date": D(2024, 6, 19),
        "summary": (
            "Putin's first visit to North Korea in 24 years (the last was in July 2000). "
            "The two leaders signed the Treaty on Comprehensive Strategic Partnership, which "
            "includes a mutual-defence clause. Putin went on to Vietnam."
        ),
        "publication_status": PUBLISHED,
        "visitors": ["putin"],
        "hosts": ["kim"],
        "sources": ["S1", "S2"],
    },
}

KIM_TO_PUTIN = {"giver": "kim", "recipient": "putin"}
PUTIN_TO_KIM = {"giver": "putin", "recipient": "kim"}
SUMMIT_DAY = D(2024, 6, 19)

GIFTS = {
    "G1": {
        **KIM_TO_PUTIN,
        "item": "Two Pungsan hunting dogs",
        "date": SUMMIT_DAY,
        "quantity": 2,
        "category": Gift.Category.ANIMAL,
        "visit": "pyongyang",
        "sources": ["S1", "S2"],
        "notes": (
            "Received at the Kumsusan Guesthouse. The Pungsan is a rare hunting breed held to "
            "be North Korea's national dog, according to Cho Il-kyung, head of the National "
            "Heritage Preservation Agency. TASS reported the gift on 20 June 2024; Putin had "
            "not yet named the dogs."
        ),
    },
    "G2": {
        **KIM_TO_PUTIN,
        "item": "Artworks depicting Putin, including busts",
        "date": SUMMIT_DAY,
        "quantity": None,
        "category": Gift.Category.ARTWORK,
        "visit": "pyongyang",
        "sources": ["S1", "S2"],
        "notes": (
            'Reported as "several pieces of art depicting his likeness", including busts. '
            'Presidential aide Yury Ushakov called them "very good presents".'
        ),
    },
    "G3": {
        **PUTIN_TO_KIM,
        "item": "Aurus Senat limousine (Kim's second)",
        "date": SUMMIT_DAY,
        "quantity": 1,
        "category": Gift.Category.VEHICLE,
        "visit": "pyongyang",
        "sources": ["S1", "S2"],
        "notes": "Kim and Putin took turns driving it around the Kumsusan Guesthouse grounds.",
    },
    "G4": {
        **PUTIN_TO_KIM,
        "item": "Admiral's dagger (naval dirk)",
        "date": SUMMIT_DAY,
        "quantity": 1,
        "category": Gift.Category.WEAPON,
        "visit": "pyongyang",
        "sources": ["S1", "S2"],
        "notes": "",
    },
    "G5": {
        **PUTIN_TO_KIM,
        "item": "Tea set",
        "date": SUMMIT_DAY,
        "quantity": 1,
        "category": Gift.Category.TABLEWARE,
        "visit": "pyongyang",
        "sources": ["S1"],
        "notes": "",
    },
    "G6": {
        **PUTIN_TO_KIM,
        "item": "Russian-made car (Aurus; Kim's first)",
        "date": D(2024, 2, 18),
        "quantity": 1,
        "category": Gift.Category.VEHICLE,
        "visit": "vostochny",
        "sources": ["S1", "S2", "S3", "S4"],
        "notes": (
            "KCNA reported on 20 February 2024 that Russia had delivered the car on 18 "
            "February to Kim's sister Kim Yo Jong and other top aides, \"for his personal "
            'use"; KCNA did not name the model. CBS News reports that Kim "got his first Aurus '
            'delivered" months after Putin showed him his own at Vostochny, and Yury Ushakov '
            "called the car given in June 2024 Kim's second. Linked to the Vostochny visit, "
            "where Putin showed Kim the car. Accounts of the date differ: Breitbart News says "
            "the car was given in September 2023 and made known in February 2024."
        ),
    },
}

REGIME = {
    "code": "UN-SC1718",
    "name": "UN Security Council sanctions on the DPRK (1718 Committee)",
    "short_name": "UN DPRK sanctions",
    "authority": "UN Security Council",
    "target_country": "KP",
    "in_force_from": D(2006, 10, 14),
    "url": "https://www.un.org/securitycouncil/sanctions/1718",
    "legal_basis": (
        "S/RES/1718 (2006) OP 8(a)(iii) (luxury goods)\n"
        "S/RES/2094 (2013), annex listing luxury automobiles\n"
        "S/RES/2321 (2016) (adds to the luxury list; bans procuring statues from the DPRK)\n"
        "S/RES/2397 (2017) (bans supplying transport vehicles)"
    ),
    "notes": (
        "The UN Panel of Experts that investigated breaches lapsed on 30 April 2024 after "
        "Russia vetoed the renewal of its mandate on 28 March 2024: no UN finding exists for "
        "these gifts."
    ),
    "sources": ["S5", "S6", "S7", "S8", "S9"],
}

VEHICLE_PROVISIONS = "S/RES/1718 (2006) OP 8(a)(iii); S/RES/2397 (2017)"

FLAGS = {
    "F1": {
        "gift": "G6",
        "status": FlagStatus.ALLEGED,
        "provisions": VEHICLE_PROVISIONS,
        "rationale": (
            "Luxury automobiles are among the luxury goods that UN member states may not "
            "supply to the DPRK, and resolution 2397 bans supplying it with transport vehicles."
        ),
        "alleged_by": "South Korea's Ministry of Unification",
        "alleged_on": D(2024, 2, 20),
        "publication_status": PUBLISHED,
        "sources": ["S3"],
    },
    "F2": {
        "gift": "G3",
        "status": FlagStatus.ALLEGED,
        "provisions": VEHICLE_PROVISIONS,
        "rationale": (
            "A second luxury car supplied to Kim Jong Un, reported as a likely breach of the "
            "UN ban on supplying luxury goods and transport vehicles to the DPRK."
        ),
        "alleged_by": "Breitbart News (news report)",
        "alleged_on": D(2024, 6, 20),
        "publication_status": PUBLISHED,
        "sources": ["S1"],
    },
    "F3": {
        "gift": "G2",
        "status": FlagStatus.POSSIBLE,
        "provisions": "S/RES/2321 (2016) (statues) — paragraph to verify before publishing",
        "rationale": (
            "Editor's research note: resolution 2321 (2016) bans procuring statues from the "
            "DPRK, and the artworks Kim gave Putin include busts. Find the exact paragraph and "
            "who, if anyone, has alleged a breach before publishing this flag."
        ),
        "alleged_by": "",
        "alleged_on": None,
        "publication_status": PublicationStatus.DRAFT,
        "sources": ["S8"],
    },
}


class Loader:
    def __init__(self):
        self.written = 0

    def ensure(self, model, lookup, values):
        """Fetch the record by lookup, create or update it so its fields equal values."""
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.save()
            self.written += 1
            return obj
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save()
            self.written += 1
        return obj

    def ensure_m2m(self, manager, objects):
        wanted = {o.pk for o in objects}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(objects)
            self.written += 1


@transaction.atomic
def load_demo():
    """Load the story; return how many records were created or changed."""
    loader = Loader()
    sources = {
        key: loader.ensure(
            Source, {"url": data["url"]}, {k: v for k, v in data.items() if k != "url"}
        )
        for key, data in SOURCES.items()
    }
    leaders = {
        key: loader.ensure(
            Leader,
            {"name": data["name"], "country": data["country"]},
            {k: v for k, v in data.items() if k not in ("name", "country")},
        )
        for key, data in LEADERS.items()
    }

    visits = {}
    for key, data in VISITS.items():
        fields = {
            k: v for k, v in data.items() if k not in ("slug", "visitors", "hosts", "sources")
        }
        visit = loader.ensure(Visit, {"slug": data["slug"]}, fields)
        loader.ensure_m2m(visit.visitors, [leaders[k] for k in data["visitors"]])
        loader.ensure_m2m(visit.hosts, [leaders[k] for k in data["hosts"]])
        loader.ensure_m2m(visit.sources, [sources[k] for k in data["sources"]])
        visits[key] = visit

    gifts = {}
    for key, data in GIFTS.items():
        giver, recipient = leaders[data["giver"]], leaders[data["recipient"]]
        fields = {
            "description": "",
            "category": data["category"],
            "quantity": data["quantity"],
            "giver": giver,
            "recipient": recipient,
            "giver_title": giver.title,
            "recipient_title": recipient.title,
            "giver_country": giver.country.code,
            "recipient_country": recipient.country.code,
            "visit": visits[data["visit"]],
            "date": data["date"],
            "date_precision": DatePrecision.DAY,
            "value_note": "undisclosed",
            "disposition": Gift.Disposition.UNKNOWN,
            "notes": data["notes"],
            "publication_status": PUBLISHED,
        }
        gift = loader.ensure(Gift, {"item": data["item"]}, fields)
        loader.ensure_m2m(gift.sources, [sources[k] for k in data["sources"]])
        gifts[key] = gift

    regime_fields = {k: v for k, v in REGIME.items() if k not in ("code", "sources")}
    regime = loader.ensure(SanctionsRegime, {"code": REGIME["code"]}, regime_fields)
    loader.ensure_m2m(regime.sources, [sources[k] for k in REGIME["sources"]])

    for data in FLAGS.values():
        fields = {k: v for k, v in data.items() if k not in ("gift", "sources")}
        flag = loader.ensure(SanctionsFlag, {"gift": gifts[data["gift"]], "regime": regime}, fields)
        loader.ensure_m2m(flag.sources, [sources[k] for k in data["sources"]])
    return loader.written
