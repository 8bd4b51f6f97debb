BEGIN TRANSACTION;
CREATE TABLE api_tokens (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	label VARCHAR(100) NOT NULL, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME, 
	last_used_at DATETIME, 
	revoked BOOLEAN NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(user_id) REFERENCES users (id), 
	UNIQUE (token_hash)
);
INSERT INTO "api_tokens" VALUES(1,1,'7818256de4678765bd70dc58b2262738c5a0d684d86729e267baac3c405f00de','','2026-12-03 09:54:32.966976','2027-12-03 09:54:32.956425',NULL,0);
CREATE TABLE audit_events (
	id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	actor_id INTEGER, 
	actor_email VARCHAR(254), 
	action VARCHAR(40) NOT NULL, 
	document_id INTEGER, 
	detail JSON NOT NULL, 
	ip VARCHAR(64), 
	PRIMARY KEY (id)
);
INSERT INTO "audit_events" VALUES(1,'2026-12-03 09:54:20.642412',NULL,'system','org_create',NULL,'{"acronym": "PSWG"}','cli');
INSERT INTO "audit_events" VALUES(2,'2026-12-03 09:54:20.645794',NULL,'system','org_create',NULL,'{"acronym": "UNHCR"}','cli');
INSERT INTO "audit_events" VALUES(3,'2026-12-03 09:54:20.693592',NULL,'system','org_create',NULL,'{"acronym": "IOM"}','cli');
INSERT INTO "audit_events" VALUES(4,'2026-12-03 09:54:20.699288',NULL,'system','org_create',NULL,'{"acronym": "DRC"}','cli');
INSERT INTO "audit_events" VALUES(5,'2026-12-03 09:54:20.707023',NULL,'system','org_create',NULL,'{"acronym": "IRC"}','cli');
INSERT INTO "audit_events" VALUES(6,'2026-12-03 09:54:20.710651',NULL,'system','org_create',NULL,'{"acronym": "NRC"}','cli');
INSERT INTO "audit_events" VALUES(7,'2026-12-03 09:54:20.714621',NULL,'system','org_create',NULL,'{"acronym": "UNMAS"}','cli');
INSERT INTO "audit_events" VALUES(8,'2026-12-03 09:54:20.718745',NULL,'system','org_create',NULL,'{"acronym": "FHO"}','cli');
INSERT INTO "audit_events" VALUES(9,'2026-12-03 09:54:20.722846',NULL,'system','org_create',NULL,'{"acronym": "CSA"}','cli');
INSERT INTO "audit_events" VALUES(10,'2026-12-03 09:54:20.870583',NULL,'system','user_create',NULL,'{"target": "coordinator@pswg.example.org", "role": "coordinator", "org": "PSWG"}','cli');
INSERT INTO "audit_events" VALUES(11,'2026-12-03 09:54:21.046834',NULL,'system','user_create',NULL,'{"target": "admin@pswg.example.org", "role": "admin", "org": "PSWG"}','cli');
INSERT INTO "audit_events" VALUES(12,'2026-12-03 09:54:21.188886',NULL,'system','user_create',NULL,'{"target": "staff@unhcr.example.org", "role": "staff", "org": "UNHCR"}','cli');
INSERT INTO "audit_events" VALUES(13,'2026-12-03 09:54:21.306698',NULL,'system','user_create',NULL,'{"target": "case.officer@unhcr.example.org", "role": "staff", "org": "UNHCR"}','cli');
INSERT INTO "audit_events" VALUES(14,'2026-12-03 09:54:21.424535',NULL,'system','user_create',NULL,'{"target": "partner@drc.example.org", "role": "partner", "org": "DRC"}','cli');
INSERT INTO "audit_events" VALUES(15,'2026-12-03 09:54:21.565995',NULL,'system','user_create',NULL,'{"target": "partner@irc.example.org", "role": "partner", "org": "IRC"}','cli');
INSERT INTO "audit_events" VALUES(16,'2026-12-03 09:54:21.684737',NULL,'system','user_create',NULL,'{"target": "partner@nrc.example.org", "role": "partner", "org": "NRC"}','cli');
INSERT INTO "audit_events" VALUES(17,'2026-12-03 09:54:21.801859',NULL,'system','user_create',NULL,'{"target": "partner@iom.example.org", "role": "partner", "org": "IOM"}','cli');
INSERT INTO "audit_events" VALUES(18,'2026-12-03 09:54:21.916411',NULL,'system','user_create',NULL,'{"target": "partner@unmas.example.org", "role": "partner", "org": "UNMAS"}','cli');
INSERT INTO "audit_events" VALUES(19,'2026-12-03 09:54:22.059290',NULL,'system','user_create',NULL,'{"target": "partner@fho.example.org", "role": "partner", "org": "FHO"}','cli');
INSERT INTO "audit_events" VALUES(20,'2026-12-03 09:54:22.287964',NULL,'system','user_create',NULL,'{"target": "partner@csa.example.org", "role": "partner", "org": "CSA"}','cli');
INSERT INTO "audit_events" VALUES(21,'2026-12-03 09:54:22.903897',1,'coordinator@pswg.example.org','upload',1,'{"filename": "pswg-tripoli-minutes-2025-03.pdf", "mime": "application/pdf", "size": 5358}','cli');
INSERT INTO "audit_events" VALUES(22,'2026-12-03 09:54:23.146443',1,'coordinator@pswg.example.org','release',1,'{"rationale": "Standard sector minutes: no personal data; detention is described by mantika only. Restricted to vetted partners, as the ISP provides for meeting minutes.", "level": "restricted", "risks": ["access_loss"], "benefits": ["purpose_defined", "coordination"]}','cli');
INSERT INTO "audit_events" VALUES(23,'2026-12-03 09:54:23.502771',5,'partner@drc.example.org','upload',2,'{"filename": "drc-pm-detention-south-2025-q1.pdf", "mime": "application/pdf", "size": 4446}','cli');
INSERT INTO "audit_events" VALUES(24,'2026-12-03 09:54:23.599602',1,'coordinator@pswg.example.org','grant',2,'{"grant_orgs": ["UNHCR", "IOM"]}','cli');
INSERT INTO "audit_events" VALUES(25,'2026-12-03 09:54:23.601485',1,'coordinator@pswg.example.org','release',2,'{"rationale": "Aggregated to mantika, but it describes conditions and incidents in a few identifiable detention facilities: disclosure could lead to reprisals against detainees and to loss of access. Shared with UNHCR and IOM for follow-up and advocacy under the sector data sharing agreement.", "level": "confidential", "grant_orgs": ["UNHCR", "IOM"], "risks": ["detention_refoulement", "access_loss", "targeting"], "benefits": ["purpose_defined", "advocacy", "cost_of_not_sharing", "recipients_bound"]}','cli');
INSERT INTO "audit_events" VALUES(26,'2026-12-03 09:54:23.935785',8,'partner@iom.example.org','upload',3,'{"filename": "iom-misrata-baseline-summary-2025-r3.pdf", "mime": "application/pdf", "size": 4045}','cli');
INSERT INTO "audit_events" VALUES(27,'2026-12-03 09:54:24.033628',1,'coordinator@pswg.example.org','release',3,'{"rationale": "Figures aggregated to baladiya level and rounded to the nearest ten; no site, household or personal data. Public, in line with the ISP rule for assessment results at district level.", "level": "public", "risks": ["small_cells"], "benefits": ["aggregated_to_district", "anonymised", "coordination"]}','cli');
INSERT INTO "audit_events" VALUES(28,'2026-12-03 09:54:24.702602',8,'partner@iom.example.org','upload',4,'{"filename": "iom-misrata-baseline-dataset-2025-r3.xlsx", "mime": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "size": 7532}','cli');
INSERT INTO "audit_events" VALUES(29,'2026-12-03 09:54:24.750271',1,'coordinator@pswg.example.org','release',4,'{"rationale": "Neighbourhood-level rows with small counts in Tawergha: restricted to vetted partners. The baladiya-level summary of the same round is public.", "level": "restricted", "risks": ["small_cells", "re_identification"], "benefits": ["purpose_defined", "response_planning"]}','cli');
INSERT INTO "audit_events" VALUES(30,'2026-12-03 09:54:25.194627',7,'partner@nrc.example.org','upload',5,'{"filename": "nrc-civil-documentation-hlp-concept-note.docx", "mime": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "size": 38718}','cli');
INSERT INTO "audit_events" VALUES(31,'2026-12-03 09:54:25.254625',1,'coordinator@pswg.example.org','release',5,'{"rationale": "Programme design document with no personal data and no operational security details. Public, to support coordination and resource mobilisation.", "level": "public", "benefits": ["anonymised", "coordination"]}','cli');
INSERT INTO "audit_events" VALUES(32,'2026-12-03 09:54:25.870366',6,'partner@irc.example.org','upload',6,'{"filename": "irc-gbv-referral-training-benghazi-2025-02.docx", "mime": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "size": 38739}','cli');
INSERT INTO "audit_events" VALUES(33,'2026-12-03 09:54:25.973020',1,'coordinator@pswg.example.org','override',6,'{"level": "confidential", "minimum_level": "strictly_confidential", "override": "Demo data: fictional content."}','cli');
INSERT INTO "audit_events" VALUES(34,'2026-12-03 09:54:25.974610',1,'coordinator@pswg.example.org','release',6,'{"rationale": "The annex lists names, organisations and mobile numbers of frontline workers dealing with GBV disclosures; disclosure could expose them to pressure or threats. Raised from restricted to confidential. A version without the annex can be resubmitted as restricted.", "level": "confidential", "override": "Demo data: fictional content.", "risks": ["staff_safety", "re_identification", "consent_gap"], "benefits": ["purpose_defined"]}','cli');
INSERT INTO "audit_events" VALUES(35,'2026-12-03 09:54:26.710642',7,'partner@nrc.example.org','upload',7,'{"filename": "nrc-iraq-dstwg-summary-2025-05.pdf", "mime": "application/pdf", "size": 3947}','cli');
INSERT INTO "audit_events" VALUES(36,'2026-12-03 09:54:26.780474',1,'coordinator@pswg.example.org','release',7,'{"rationale": "Working group summary with no personal data; it discusses sensitive policy issues (camp closures, security clearance) and is restricted to partners.", "level": "restricted", "risks": ["access_loss"], "benefits": ["coordination", "purpose_defined"]}','cli');
INSERT INTO "audit_events" VALUES(37,'2026-12-03 09:54:27.315903',9,'partner@unmas.example.org','upload',8,'{"filename": "unmas-mine-action-sitrep-2025-04.pdf", "mime": "application/pdf", "size": 3285}','cli');
INSERT INTO "audit_events" VALUES(38,'2026-12-03 09:54:27.393309',1,'coordinator@pswg.example.org','release',8,'{"rationale": "Routine situation report with figures by mantika. Casualties are aggregated and anonymised, and hazard coordinates are not included. Public; wide circulation supports community safety.", "level": "public", "benefits": ["aggregated_to_district", "cost_of_not_sharing"]}','cli');
INSERT INTO "audit_events" VALUES(39,'2026-12-03 09:54:28.871550',10,'partner@fho.example.org','upload',9,'{"filename": "fho-sebha-pswg-minutes-ar-2025-04.pdf", "mime": "application/pdf", "size": 47504}','cli');
INSERT INTO "audit_events" VALUES(40,'2026-12-03 09:54:29.019744',1,'coordinator@pswg.example.org','release',9,'{"rationale": "Sub-working group minutes in Arabic; no personal data, detention described in general terms. Restricted to partners like all sector minutes.", "level": "restricted", "risks": ["access_loss"], "benefits": ["coordination", "purpose_defined"]}','cli');
INSERT INTO "audit_events" VALUES(41,'2026-12-03 09:54:29.652193',11,'partner@csa.example.org','upload',10,'{"filename": "csa-tawergha-returns-sitrep-ar-2025-05.docx", "mime": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "size": 38839}','cli');
INSERT INTO "audit_events" VALUES(42,'2026-12-03 09:54:29.764794',1,'coordinator@pswg.example.org','release',10,'{"rationale": "Situation report at town level with no personal data; figures are aggregated and rounded. Public, in Arabic, to inform returnees and local authorities as well as partners.", "level": "public", "benefits": ["anonymised", "cost_of_not_sharing"]}','cli');
INSERT INTO "audit_events" VALUES(43,'2026-12-03 09:54:30.362857',5,'partner@drc.example.org','upload',11,'{"filename": "drc-case-note-ly-25-0417.docx", "mime": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "size": 38458}','cli');
INSERT INTO "audit_events" VALUES(44,'2026-12-03 09:54:30.458304',1,'coordinator@pswg.example.org','grant',11,'{"grant_users": ["case.officer@unhcr.example.org"]}','cli');
INSERT INTO "audit_events" VALUES(45,'2026-12-03 09:54:30.460193',1,'coordinator@pswg.example.org','release',11,'{"rationale": "Individual case data on an asylum seeker facing threats: severe harm if disclosed. Access limited to the originating organisation and the named UNHCR case officer handling the referral, with the person''s consent.", "level": "strictly_confidential", "grant_users": ["case.officer@unhcr.example.org"], "risks": ["re_identification", "targeting", "detention_refoulement", "misuse_by_recipient"], "benefits": ["consent_obtained", "purpose_defined", "recipients_bound"]}','cli');
INSERT INTO "audit_events" VALUES(46,'2026-12-03 09:54:30.918101',6,'partner@irc.example.org','upload',12,'{"filename": "irc-derna-collective-shelters-rpa-2025-01.pdf", "mime": "application/pdf", "size": 3439}','cli');
INSERT INTO "audit_events" VALUES(47,'2026-12-03 09:54:30.991688',1,'coordinator@pswg.example.org','return',12,'{"rationale": "Returned for revision. The annex lists each collective shelter with GPS coordinates and counts of female-headed households and persons with disabilities, several below five; combined with the GBV findings this could expose residents. Please remove coordinates and shelter names, aggregate the annex to neighbourhood level, and resubmit: the narrative alone can be released as restricted.", "risks": ["re_identification", "small_cells", "targeting", "survivor_exposure"], "benefits": ["purpose_defined", "cost_of_not_sharing"]}','cli');
INSERT INTO "audit_events" VALUES(48,'2026-12-03 09:54:31.568676',8,'partner@iom.example.org','upload',13,'{"filename": "iom-kufra-new-arrivals-line-list-2025-03.xlsx", "mime": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "size": 7261}','cli');
INSERT INTO "audit_events" VALUES(49,'2026-12-03 09:54:31.666350',1,'coordinator@pswg.example.org','withhold',13,'{"rationale": "Withheld. Individual records with age, sex, nationality, reception point, arrival date and specific needs (including children travelling alone and a survivor of violence) are re-identifiable even without names; the ISP places such line lists at the severe level. Not shared through the repository: please submit an aggregated table by week, nationality, sex and age group, and exchange the line list bilaterally with child protection and GBV case managers under a data sharing agreement.", "risks": ["re_identification", "detention_refoulement", "targeting", "survivor_exposure"], "benefits": ["purpose_defined", "response_planning"]}','cli');
INSERT INTO "audit_events" VALUES(50,'2026-12-03 09:54:32.305855',5,'partner@drc.example.org','upload',14,'{"filename": "drc-child-protection-sitrep-east-2025-05.pdf", "mime": "application/pdf", "size": 3070}','cli');
INSERT INTO "audit_events" VALUES(51,'2026-12-03 09:54:32.867164',7,'partner@nrc.example.org','upload',15,'{"filename": "nrc-iraq-civil-documentation-analysis-2024.docx", "mime": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "size": 38367}','cli');
INSERT INTO "audit_events" VALUES(52,'2026-12-03 09:54:32.967833',1,'coordinator@pswg.example.org','token_create',NULL,'{"by": "system"}','cli');
CREATE TABLE comments (
	id INTEGER NOT NULL, 
	document_id INTEGER NOT NULL, 
	author_id INTEGER, 
	author_email VARCHAR(254), 
	author_org VARCHAR(32), 
	author_role VARCHAR(20), 
	kind VARCHAR(20) NOT NULL, 
	text TEXT NOT NULL, 
	at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE, 
	FOREIGN KEY(author_id) REFERENCES users (id)
);
INSERT INTO "comments" VALUES(1,12,1,'coordinator@pswg.example.org','PSWG','coordinator','return','Returned for revision. The annex lists each collective shelter with GPS coordinates and counts of female-headed households and persons with disabilities, several below five; combined with the GBV findings this could expose residents. Please remove coordinates and shelter names, aggregate the annex to neighbourhood level, and resubmit: the narrative alone can be released as restricted.','2026-12-03 09:54:30.989674');
CREATE TABLE decisions (
	id INTEGER NOT NULL, 
	document_id INTEGER NOT NULL, 
	actor_id INTEGER, 
	action VARCHAR(20) NOT NULL, 
	from_state VARCHAR(20), 
	to_state VARCHAR(20) NOT NULL, 
	level VARCHAR(30), 
	rationale TEXT NOT NULL, 
	detail JSON NOT NULL, 
	at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE, 
	FOREIGN KEY(actor_id) REFERENCES users (id)
);
INSERT INTO "decisions" VALUES(1,1,1,'upload',NULL,'submitted',NULL,'','{}','2026-12-03 09:54:22.900397');
INSERT INTO "decisions" VALUES(2,1,1,'release','submitted','released','restricted','Standard sector minutes: no personal data; detention is described by mantika only. Restricted to vetted partners, as the ISP provides for meeting minutes.','{"rationale": "Standard sector minutes: no personal data; detention is described by mantika only. Restricted to vetted partners, as the ISP provides for meeting minutes.", "level": "restricted", "risks": ["access_loss"], "benefits": ["purpose_defined", "coordination"]}','2026-12-03 09:54:23.149005');
INSERT INTO "decisions" VALUES(3,2,5,'upload',NULL,'submitted',NULL,'','{}','2026-12-03 09:54:23.501620');
INSERT INTO "decisions" VALUES(4,2,1,'release','submitted','released','confidential','Aggregated to mantika, but it describes conditions and incidents in a few identifiable detention facilities: disclosure could lead to reprisals against detainees and to loss of access. Shared with UNHCR and IOM for follow-up and advocacy under the sector data sharing agreement.','{"rationale": "Aggregated to mantika, but it describes conditions and incidents in a few identifiable detention facilities: disclosure could lead to reprisals against detainees and to loss of access. Shared with UNHCR and IOM for follow-up and advocacy under the sector data sharing agreement.", "level": "confidential", "grant_orgs": ["UNHCR", "IOM"], "risks": ["detention_refoulement", "access_loss", "targeting"], "benefits": ["purpose_defined", "advocacy", "cost_of_not_sharing", "recipients_bound"]}','2026-12-03 09:54:23.600612');
INSERT INTO "decisions" VALUES(5,3,8,'upload',NULL,'submitted',NULL,'','{}','2026-12-03 09:54:23.934303');
INSERT INTO "decisions" VALUES(6,3,1,'release','submitted','released','public','Figures aggregated to baladiya level and rounded to the nearest ten; no site, household or personal data. Public, in line with the ISP rule for assessment results at district level.','{"rationale": "Figures aggregated to baladiya level and rounded to the nearest ten; no site, household or personal data. Public, in line with the ISP rule for assessment results at district level.", "level": "public", "risks": ["small_cells"], "benefits": ["aggregated_to_district", "anonymised", "coordination"]}','2026-12-03 09:54:24.032010');
INSERT INTO "decisions" VALUES(7,4,8,'upload',NULL,'submitted',NULL,'','{}','2026-12-03 09:54:24.701277');
INSERT INTO "decisions" VALUES(8,4,1,'release','submitted','released','restricted','Neighbourhood-level rows with small counts in Tawergha: restricted to vetted partners. The baladiya-level summary of the same round is public.','{"rationale": "Neighbourhood-level rows with small counts in Tawergha: restricted to vetted partners. The baladiya-level summary of the same round is public.", "level": "restricted", "risks": ["small_cells", "re_identification"], "benefits": ["purpose_defined", "response_planning"]}','2026-12-03 09:54:24.749358');
INSERT INTO "decisions" VALUES(9,5,7,'upload',NULL,'submitted',NULL,'','{}','2026-12-03 09:54:25.193361');
INSERT INTO "decisions" VALUES(10,5,1,'release','submitted','released','public','Programme design document with no personal data and no operational security details. Public, to support coordination and resource mobilisation.','{"rationale": "Programme design document with no personal data and no operational security details. Public, to support coordination and resource mobilisation.", "level": "public", "benefits": ["anonymised", "coordination"]}','2026-12-03 09:54:25.253401');
INSERT INTO "decisions" VALUES(11,6,6,'upload',NULL,'submitted',NULL,'','{}','2026-12-03 09:54:25.868739');
INSERT INTO "decisions" VALUES(12,6,1,'release','submitted','released','confidential','The annex lists names, organisations and mobile numbers of frontline workers dealing with GBV disclosures; disclosure could expose them to pressure or threats. Raised from restricted to confidential. A version without the annex can be resubmitted as restricted.','{"rationale": "The annex lists names, organisations and mobile numbers of frontline workers dealing with GBV disclosures; disclosure could expose them to pressure or threats. Raised from restricted to confidential. A version without the annex can be resubmitted as restricted.", "level": "confidential", "override": "Demo data: fictional content.", "risks": ["staff_safety", "re_identification", "consent_gap"], "benefits": ["purpose_defined"]}','2026-12-03 09:54:25.973729');
INSERT INTO "decisions" VALUES(13,7,7,'upload',NULL,'submitted',NULL,'','{}','2026-12-03 09:54:26.704523');
INSERT INTO "decisions" VALUES(14,7,1,'release','submitted','released','restricted','Working group summary with no personal data; it discusses sensitive policy issues (camp closures, security clearance) and is restricted to partners.','{"rationale": "Working group summary with no personal data; it discusses sensitive policy issues (camp closures, security clearance) and is restricted to partners.", "level": "restricted", "risks": ["access_loss"], "benefits": ["coordination", "purpose_defined"]}','2026-12-03 09:54:26.779385');
INSERT INTO "decisions" VALUES(15,8,9,'upload',NULL,'submitted',NULL,'','{}','2026-12-03 09:54:27.314605');
INSERT INTO "decisions" VALUES(16,8,1,'release','submitted','released','public','Routine situation report with figures by mantika. Casualties are aggregated and anonymised, and hazard coordinates are not included. Public; wide circulation supports community safety.','{"rationale": "Routine situation report with figures by mantika. Casualties are aggregated and anonymised, and hazard coordinates are not included. Public; wide circulation supports community safety.", "level": "public", "benefits": ["aggregated_to_district", "cost_of_not_sharing"]}','2026-12-03 09:54:27.392104');
INSERT INTO "decisions" VALUES(17,9,10,'upload',NULL,'submitted',NULL,'','{}','2026-12-03 09:54:28.870028');
INSERT INTO "decisions" VALUES(18,9,1,'release','submitted','released','restricted','Sub-working group minutes in Arabic; no personal data, detention described in general terms. Restricted to partners like all sector minutes.','{"rationale": "Sub-working group minutes in Arabic; no personal data, detention described in general terms. Restricted to partners like all sector minutes.", "level": "restricted", "risks": ["access_loss"], "benefits": ["coordination", "purpose_defined"]}','2026-12-03 09:54:29.018807');
INSERT INTO "decisions" VALUES(19,10,11,'upload',NULL,'submitted',NULL,'','{}','2026-12-03 09:54:29.650918');
INSERT INTO "decisions" VALUES(20,10,1,'release','submitted','released','public','Situation report at town level with no personal data; figures are aggregated and rounded. Public, in Arabic, to inform returnees and local authorities as well as partners.','{"rationale": "Situation report at town level with no personal data; figures are aggregated and rounded. Public, in Arabic, to inform returnees and local authorities as well as partners.", "level": "public", "benefits": ["anonymised", "cost_of_not_sharing"]}','2026-12-03 09:54:29.763897');
INSERT INTO "decisions" VALUES(21,11,5,'upload',NULL,'submitted',NULL,'','{}','2026-12-03 09:54:30.361578');
INSERT INTO "decisions" VALUES(22,11,1,'release','submitted','released','strictly_confidential','Individual case data on an asylum seeker facing threats: severe harm if disclosed. Access limited to the originating organisation and the named UNHCR case officer handling the referral, with the person''s consent.','{"rationale": "Individual case data on an asylum seeker facing threats: severe harm if disclosed. Access limited to the originating organisation and the named UNHCR case officer handling the referral, with the person''s consent.", "level": "strictly_confidential", "grant_users": ["case.officer@unhcr.example.org"], "risks": ["re_identification", "targeting", "detention_refoulement", "misuse_by_recipient"], "benefits": ["consent_obtained", "purpose_defined", "recipients_bound"]}','2026-12-03 09:54:30.459134');
INSERT INTO "decisions" VALUES(23,12,6,'upload',NULL,'submitted',NULL,'','{}','2026-12-03 09:54:30.916501');
INSERT INTO "decisions" VALUES(24,12,1,'return','submitted','returned',NULL,'Returned for revision. The annex lists each collective shelter with GPS coordinates and counts of female-headed households and persons with disabilities, several below five; combined with the GBV findings this could expose residents. Please remove coordinates and shelter names, aggregate the annex to neighbourhood level, and resubmit: the narrative alone can be released as restricted.','{"rationale": "Returned for revision. The annex lists each collective shelter with GPS coordinates and counts of female-headed households and persons with disabilities, several below five; combined with the GBV findings this could expose residents. Please remove coordinates and shelter names, aggregate the annex to neighbourhood level, and resubmit: the narrative alone can be released as restricted.", "risks": ["re_identification", "small_cells", "targeting", "survivor_exposure"], "benefits": ["purpose_defined", "cost_of_not_sharing"]}','2026-12-03 09:54:30.990342');
INSERT INTO "decisions" VALUES(25,13,8,'upload',NULL,'submitted',NULL,'','{}','2026-12-03 09:54:31.567518');
INSERT INTO "decisions" VALUES(26,13,1,'withhold','submitted','withheld',NULL,'Withheld. Individual records with age, sex, nationality, reception point, arrival date and specific needs (including children travelling alone and a survivor of violence) are re-identifiable even without names; the ISP places such line lists at the severe level. Not shared through the repository: please submit an aggregated table by week, nationality, sex and age group, and exchange the line list bilaterally with child protection and GBV case managers under a data sharing agreement.','{"rationale": "Withheld. Individual records with age, sex, nationality, reception point, arrival date and specific needs (including children travelling alone and a survivor of violence) are re-identifiable even without names; the ISP places such line lists at the severe level. Not shared through the repository: please submit an aggregated table by week, nationality, sex and age group, and exchange the line list bilaterally with child protection and GBV case managers under a data sharing agreement.", "risks": ["re_identification", "detention_refoulement", "targeting", "survivor_exposure"], "benefits": ["purpose_defined", "response_planning"]}','2026-12-03 09:54:31.660690');
INSERT INTO "decisions" VALUES(27,14,5,'upload',NULL,'submitted',NULL,'','{}','2026-12-03 09:54:32.304074');
INSERT INTO "decisions" VALUES(28,15,7,'upload',NULL,'submitted',NULL,'','{}','2026-12-03 09:54:32.865631');
CREATE TABLE document_codes (
	document_id INTEGER NOT NULL, 
	code_id VARCHAR(120) NOT NULL, 
	PRIMARY KEY (document_id, code_id), 
	FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE
);
INSERT INTO "document_codes" VALUES(1,'doc_type:meeting_minutes');
INSERT INTO "document_codes" VALUES(1,'sector:protection');
INSERT INTO "document_codes" VALUES(1,'theme:durable_solutions');
INSERT INTO "document_codes" VALUES(1,'theme:detention');
INSERT INTO "document_codes" VALUES(1,'theme:access');
INSERT INTO "document_codes" VALUES(1,'population:idp');
INSERT INTO "document_codes" VALUES(1,'population:returnees');
INSERT INTO "document_codes" VALUES(1,'population:migrants_in_detention');
INSERT INTO "document_codes" VALUES(1,'location:LY');
INSERT INTO "document_codes" VALUES(1,'location:LY0211');
INSERT INTO "document_codes" VALUES(1,'location:LY0214-tawergha');
INSERT INTO "document_codes" VALUES(1,'location:LY0101');
INSERT INTO "document_codes" VALUES(1,'location:LY0319');
INSERT INTO "document_codes" VALUES(2,'doc_type:protection_monitoring_report');
INSERT INTO "document_codes" VALUES(2,'sector:protection');
INSERT INTO "document_codes" VALUES(2,'theme:detention');
INSERT INTO "document_codes" VALUES(2,'theme:mixed_migration');
INSERT INTO "document_codes" VALUES(2,'theme:access');
INSERT INTO "document_codes" VALUES(2,'population:migrants_in_detention');
INSERT INTO "document_codes" VALUES(2,'population:migrants');
INSERT INTO "document_codes" VALUES(2,'population:asylum_seekers');
INSERT INTO "document_codes" VALUES(2,'location:LY03');
INSERT INTO "document_codes" VALUES(2,'location:LY0319');
INSERT INTO "document_codes" VALUES(2,'location:LY0320');
INSERT INTO "document_codes" VALUES(2,'location:LY0107');
INSERT INTO "document_codes" VALUES(3,'doc_type:assessment');
INSERT INTO "document_codes" VALUES(3,'sector:protection');
INSERT INTO "document_codes" VALUES(3,'theme:durable_solutions');
INSERT INTO "document_codes" VALUES(3,'theme:civil_documentation');
INSERT INTO "document_codes" VALUES(3,'population:idp');
INSERT INTO "document_codes" VALUES(3,'population:returnees');
INSERT INTO "document_codes" VALUES(3,'population:host_community');
INSERT INTO "document_codes" VALUES(3,'location:LY0214');
INSERT INTO "document_codes" VALUES(3,'location:LY021401');
INSERT INTO "document_codes" VALUES(3,'location:LY0214-tawergha');
INSERT INTO "document_codes" VALUES(4,'doc_type:dataset');
INSERT INTO "document_codes" VALUES(4,'sector:protection');
INSERT INTO "document_codes" VALUES(4,'theme:durable_solutions');
INSERT INTO "document_codes" VALUES(4,'theme:civil_documentation');
INSERT INTO "document_codes" VALUES(4,'population:idp');
INSERT INTO "document_codes" VALUES(4,'population:returnees');
INSERT INTO "document_codes" VALUES(4,'location:LY0214');
INSERT INTO "document_codes" VALUES(4,'location:LY021401');
INSERT INTO "document_codes" VALUES(4,'location:LY0214-tawergha');
INSERT INTO "document_codes" VALUES(5,'doc_type:concept_note');
INSERT INTO "document_codes" VALUES(5,'sector:protection');
INSERT INTO "document_codes" VALUES(5,'sector:hlp');
INSERT INTO "document_codes" VALUES(5,'theme:civil_documentation');
INSERT INTO "document_codes" VALUES(5,'theme:housing_land_property');
INSERT INTO "document_codes" VALUES(5,'theme:durable_solutions');
INSERT INTO "document_codes" VALUES(5,'population:idp');
INSERT INTO "document_codes" VALUES(5,'population:returnees');
INSERT INTO "document_codes" VALUES(5,'location:LY');
INSERT INTO "document_codes" VALUES(5,'location:LY0211');
INSERT INTO "document_codes" VALUES(5,'location:LY0214-tawergha');
INSERT INTO "document_codes" VALUES(5,'location:LY0101');
INSERT INTO "document_codes" VALUES(6,'doc_type:training_report');
INSERT INTO "document_codes" VALUES(6,'sector:gbv');
INSERT INTO "document_codes" VALUES(6,'theme:gbv');
INSERT INTO "document_codes" VALUES(6,'population:idp');
INSERT INTO "document_codes" VALUES(6,'population:host_community');
INSERT INTO "document_codes" VALUES(6,'location:LY01');
INSERT INTO "document_codes" VALUES(6,'location:LY0103');
INSERT INTO "document_codes" VALUES(6,'location:LY0101');
INSERT INTO "document_codes" VALUES(7,'doc_type:meeting_minutes');
INSERT INTO "document_codes" VALUES(7,'sector:protection');
INSERT INTO "document_codes" VALUES(7,'theme:durable_solutions');
INSERT INTO "document_codes" VALUES(7,'theme:civil_documentation');
INSERT INTO "document_codes" VALUES(7,'theme:housing_land_property');
INSERT INTO "document_codes" VALUES(7,'population:idp');
INSERT INTO "document_codes" VALUES(7,'population:returnees');
INSERT INTO "document_codes" VALUES(7,'location:IQ');
INSERT INTO "document_codes" VALUES(7,'location:IQG15');
INSERT INTO "document_codes" VALUES(7,'location:IQG15-sinjar');
INSERT INTO "document_codes" VALUES(7,'location:IQG15-mosul');
INSERT INTO "document_codes" VALUES(7,'location:IQG09');
INSERT INTO "document_codes" VALUES(7,'location:IQG11');
INSERT INTO "document_codes" VALUES(8,'doc_type:situation_report');
INSERT INTO "document_codes" VALUES(8,'sector:mine_action');
INSERT INTO "document_codes" VALUES(8,'sector:protection');
INSERT INTO "document_codes" VALUES(8,'theme:access');
INSERT INTO "document_codes" VALUES(8,'population:idp');
INSERT INTO "document_codes" VALUES(8,'population:returnees');
INSERT INTO "document_codes" VALUES(8,'population:host_community');
INSERT INTO "document_codes" VALUES(8,'location:LY');
INSERT INTO "document_codes" VALUES(8,'location:LY0211');
INSERT INTO "document_codes" VALUES(8,'location:LY0103');
INSERT INTO "document_codes" VALUES(8,'location:LY0101');
INSERT INTO "document_codes" VALUES(9,'doc_type:meeting_minutes');
INSERT INTO "document_codes" VALUES(9,'sector:protection');
INSERT INTO "document_codes" VALUES(9,'theme:detention');
INSERT INTO "document_codes" VALUES(9,'theme:civil_documentation');
INSERT INTO "document_codes" VALUES(9,'theme:mixed_migration');
INSERT INTO "document_codes" VALUES(9,'population:migrants_in_detention');
INSERT INTO "document_codes" VALUES(9,'population:migrants');
INSERT INTO "document_codes" VALUES(9,'population:idp');
INSERT INTO "document_codes" VALUES(9,'location:LY03');
INSERT INTO "document_codes" VALUES(9,'location:LY0319');
INSERT INTO "document_codes" VALUES(9,'location:LY0320');
INSERT INTO "document_codes" VALUES(10,'doc_type:situation_report');
INSERT INTO "document_codes" VALUES(10,'sector:protection');
INSERT INTO "document_codes" VALUES(10,'theme:durable_solutions');
INSERT INTO "document_codes" VALUES(10,'theme:civil_documentation');
INSERT INTO "document_codes" VALUES(10,'theme:housing_land_property');
INSERT INTO "document_codes" VALUES(10,'theme:freedom_of_movement');
INSERT INTO "document_codes" VALUES(10,'population:returnees');
INSERT INTO "document_codes" VALUES(10,'location:LY0214');
INSERT INTO "document_codes" VALUES(10,'location:LY0214-tawergha');
INSERT INTO "document_codes" VALUES(11,'doc_type:analysis');
INSERT INTO "document_codes" VALUES(11,'sector:protection');
INSERT INTO "document_codes" VALUES(11,'theme:detention');
INSERT INTO "document_codes" VALUES(11,'theme:mixed_migration');
INSERT INTO "document_codes" VALUES(11,'population:asylum_seekers');
INSERT INTO "document_codes" VALUES(11,'population:migrants_in_detention');
INSERT INTO "document_codes" VALUES(11,'location:LY0319');
INSERT INTO "document_codes" VALUES(11,'location:LY0211');
INSERT INTO "document_codes" VALUES(12,'doc_type:assessment');
INSERT INTO "document_codes" VALUES(12,'sector:protection');
INSERT INTO "document_codes" VALUES(12,'sector:gbv');
INSERT INTO "document_codes" VALUES(12,'theme:housing_land_property');
INSERT INTO "document_codes" VALUES(12,'theme:civil_documentation');
INSERT INTO "document_codes" VALUES(12,'theme:gbv');
INSERT INTO "document_codes" VALUES(12,'population:idp');
INSERT INTO "document_codes" VALUES(12,'location:LY01');
INSERT INTO "document_codes" VALUES(12,'location:LY0101');
INSERT INTO "document_codes" VALUES(13,'doc_type:dataset');
INSERT INTO "document_codes" VALUES(13,'sector:protection');
INSERT INTO "document_codes" VALUES(13,'theme:mixed_migration');
INSERT INTO "document_codes" VALUES(13,'population:refugees');
INSERT INTO "document_codes" VALUES(13,'population:asylum_seekers');
INSERT INTO "document_codes" VALUES(13,'population:migrants');
INSERT INTO "document_codes" VALUES(13,'location:LY0107');
INSERT INTO "document_codes" VALUES(14,'doc_type:situation_report');
INSERT INTO "document_codes" VALUES(14,'sector:child_protection');
INSERT INTO "document_codes" VALUES(14,'sector:protection');
INSERT INTO "document_codes" VALUES(14,'population:idp');
INSERT INTO "document_codes" VALUES(14,'population:migrants');
INSERT INTO "document_codes" VALUES(14,'population:host_community');
INSERT INTO "document_codes" VALUES(14,'location:LY01');
INSERT INTO "document_codes" VALUES(14,'location:LY0103');
INSERT INTO "document_codes" VALUES(14,'location:LY0101');
INSERT INTO "document_codes" VALUES(15,'doc_type:analysis');
INSERT INTO "document_codes" VALUES(15,'sector:protection');
INSERT INTO "document_codes" VALUES(15,'theme:civil_documentation');
INSERT INTO "document_codes" VALUES(15,'theme:durable_solutions');
INSERT INTO "document_codes" VALUES(15,'theme:freedom_of_movement');
INSERT INTO "document_codes" VALUES(15,'population:idp');
INSERT INTO "document_codes" VALUES(15,'population:returnees');
INSERT INTO "document_codes" VALUES(15,'location:IQ');
INSERT INTO "document_codes" VALUES(15,'location:IQG01');
INSERT INTO "document_codes" VALUES(15,'location:IQG08');
INSERT INTO "document_codes" VALUES(15,'location:IQG11');
CREATE TABLE documents (
	id INTEGER NOT NULL, 
	title VARCHAR(500) NOT NULL, 
	summary TEXT NOT NULL, 
	filename VARCHAR(255) NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	org_id INTEGER NOT NULL, 
	uploaded_by_id INTEGER NOT NULL, 
	uploaded_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	published DATE, 
	state VARCHAR(20) NOT NULL, 
	level VARCHAR(30), 
	proposed_level VARCHAR(30), 
	minimum_level VARCHAR(30), 
	minimum_reasons JSON NOT NULL, 
	risks JSON NOT NULL, 
	benefits JSON NOT NULL, 
	rationale TEXT NOT NULL, 
	override TEXT NOT NULL, 
	review_by DATE, 
	detected JSON NOT NULL, 
	suggested_codes JSON NOT NULL, 
	language VARCHAR(10), 
	text TEXT NOT NULL, 
	text_status VARCHAR(20) NOT NULL, 
	text_reason VARCHAR(300), 
	source_path VARCHAR(1000), 
	PRIMARY KEY (id), 
	CONSTRAINT uq_documents_sha256 UNIQUE (sha256), 
	FOREIGN KEY(sha256) REFERENCES stored_files (sha256), 
	FOREIGN KEY(org_id) REFERENCES organisations (id), 
	FOREIGN KEY(uploaded_by_id) REFERENCES users (id)
);
INSERT INTO "documents" VALUES(1,'Protection Sector Working Group (Libya): minutes of the monthly meeting, Tripoli, 12 March 2025','Monthly PSWG meeting in Tripoli with remote links to Benghazi, Misrata and Sebha: returns to Tawergha, protection follow-up of the Derna flood response, access to migrants in detention in Sebha, and the update of the inter-agency referral pathway.','pswg-tripoli-minutes-2025-03.pdf','de5985eda8c8bff2f36ab590565e3e960f4dd1b956e7b3d06beb6d5e89ed2996',1,1,'2026-12-03 09:54:22.896521','2026-12-03 09:54:23.145215','2025-03-14','released','restricted','restricted',NULL,'[]','["access_loss"]','["purpose_defined", "coordination"]','Standard sector minutes: no personal data; detention is described by mantika only. Restricted to vetted partners, as the ISP provides for meeting minutes.','',NULL,'[{"kind": "sensitive_site", "count": 1, "where": ["line 43"], "example": "detention facility"}]','{"doc_type": [{"code": "doc_type:meeting_minutes", "reason": "title says ''minutes''; title says ''meeting''; headings ''meeting'', ''Participants'', ''Agenda'', ''Any other business''; mentions ''apologies'', ''follow-up'', ''Follow up''"}], "sector": [{"code": "sector:protection", "reason": "in the title (''Protection Sector''); mentions ''Protection Sector'' twice"}, {"code": "sector:shelter_nfi", "reason": "mentions ''collective shelters'' 3 times"}, {"code": "sector:mine_action", "reason": "mentions ''risk education'' once, ''mine action sub-sector'' once"}, {"code": "sector:education", "reason": "mentions ''schooling'' once, ''schools'' once"}], "theme": [{"code": "theme:detention", "reason": "mentions ''detention'' 5 times, ''Migrants in detention'' twice"}, {"code": "theme:durable_solutions", "reason": "mentions ''return'' 5 times, ''returned'' once"}, {"code": "theme:housing_land_property", "reason": "mentions ''evictions'' 3 times, ''property'' once, ''HLP'' once"}, {"code": "theme:ds_hlp", "reason": "mentions ''compensation'' twice"}, {"code": "theme:civil_documentation", "reason": "mentions ''civil documentation'' twice"}, {"code": "theme:access", "reason": "mentions ''humanitarian access'' twice"}, {"code": "theme:legal_aid", "reason": "mentions ''legal counselling'' twice"}], "population": [{"code": "population:idp", "reason": "mentions ''displacement'' once, ''displaced'' once"}, {"code": "population:migrants_in_detention", "reason": "mentions ''Migrants in detention'' twice"}], "location": [{"code": "location:LY0211", "reason": "in the title (''Tripoli''); mentions ''Tripoli'' 5 times"}, {"code": "location:LY0319", "reason": "mentions ''Sebha'' 6 times"}, {"code": "location:LY0214-tawergha", "reason": "mentions ''Tawergha'' 5 times"}, {"code": "location:LY0101", "reason": "mentions ''Derna'' 4 times"}, {"code": "location:LY0103", "reason": "mentions ''Benghazi'' 3 times"}, {"code": "location:LY0214", "reason": "mentions ''Misrata'' 3 times"}]}','en','Protection Sector Working Group (Libya): minutes of the monthly
meeting, Tripoli, 12 March 2025
PSWG - Protection Sector Working Group (Libya) | 2025-03-14
Participants
In person in Tripoli: PSWG coordination team, UNHCR, IOM, DRC, IRC, NRC, UNMAS and CSA.
Connected remotely: FHO from Sebha, IRC from Benghazi and DRC from Misrata. Two national
NGOs based in the Nafusa Mountains sent apologies. The PSWG coordinator chaired the meeting
and DRC took the minutes.
Agenda
1. Adoption of the February minutes. 2. Returns to Tawergha. 3. Derna flood response: protection
follow-up. 4. Migrants in detention in Sebha. 5. Referral pathway and service mapping. 6. Any other
business.
1. Adoption of the February minutes
The February minutes were adopted without comments. The coordinator reminded members that
sector minutes are classified as restricted under the information sharing protocol: they may circulate
among partner staff but must not be posted on public platforms or forwarded to authorities without the
prior agreement of the sector.
2. Returns to Tawergha
Partners estimated that between 1,300 and 1,600 households have now returned to Tawergha, most
of them on a seasonal or pendular basis, with family members remaining in Tripoli, Benghazi or
Misrata for schooling and work. CSA reported that the water network serves about half of the town,
that two primary schools reopened in January, and that the primary health care centre still opens only
three days a week. Returnees continue to report difficulties in obtaining civil documentation and in
proving ownership of houses that were damaged or occupied during the years of displacement.
Several families said they had been asked at checkpoints on the coastal road for documents that the
local civil registry office could not issue.
The sector recalled that its position on return is unchanged: any return must be voluntary, safe and
dignified and based on informed choice, and assistance must not be used to encourage premature
return. NRC offered to extend its legal counselling on civil documentation and housing, land and
property to Tawergha from April.
3. Derna flood response: protection follow-up
Eighteen months after the floods, an estimated 3,000 displaced households remain in rented
accommodation or in collective shelters in and around Derna. IRC reported a rise in eviction notices in
two collective shelters as owners reclaim their buildings. Families of missing persons still face long
delays in obtaining death or absence certificates, which blocks inheritance and access to the
compensation scheme. UNMAS recalled that explosive remnants of war moved by the flood waters
are still found in the wadi bed and along the shoreline, and asked partners to include risk education
messages in all community sessions.
Members agreed that the next sector update should include a short note on evictions and on the

status of the compensation scheme, drawing on aggregated case data only.
4. Migrants in detention in Sebha
FHO and DRC reported that humanitarian access to the main detention facility in Sebha remains
irregular: three of the five visits planned for February were cancelled at short notice. People released
from detention describe overcrowding, insufficient food and water, and the absence of any procedure
to identify asylum seekers, unaccompanied children or persons with serious medical conditions.
Partners were reminded that details on individual facilities and incidents must be shared bilaterally with
the sector coordinator, not in plenary or by general email.
UNHCR will raise access with the relevant authorities in Tripoli and report back at the next meeting.
DRC will share its quarterly protection monitoring report on detention in the south through the
repository, at the appropriate classification.
5. Referral pathway and service mapping
The coordinator presented the draft update of the inter-agency referral pathway, which now covers
Sebha, Ubari and Kufra in the south. Partners were asked to check the entries for their organisation,
including opening hours and the types of cases accepted, before the end of March. Personal mobile
numbers of staff will not appear in the shared version; only functional focal point numbers will be listed.
6. Any other business
IOM announced the third round of its Misrata baseline. The mine action sub-sector will hold a
coordination meeting in Benghazi in April.
Action points
No. Action Lead Deadline
1 Extend legal counselling on documentation and HLP to Tawergha NRC 30 April 2025
2 Short note on evictions in Derna collective shelters IRC with PSWG Next meeting
3 Follow up on humanitarian access to detention in Sebha UNHCR Next meeting
4 Check organisation entries in the referral pathway All partners 31 March 2025
5 Upload the Q1 detention monitoring report to the repository DRC 15 April 2025
Next meeting
The next meeting will be held in Tripoli on 9 April 2025, with remote participation from the hubs.','ok',NULL,NULL);
INSERT INTO "documents" VALUES(2,'Protection monitoring report: migrants and refugees in detention in southern Libya, January-March 2025','Quarterly protection monitoring findings from interviews with people released from detention in Sebha, Ubari and Kufra: conditions, access to protection screening, children in detention and risks after release. The site-level annex is held by DRC.','drc-pm-detention-south-2025-q1.pdf','c367ddd447c6644eda277947b3a5560cc4610778187813c74327bf12bfdd81c0',4,5,'2026-12-03 09:54:23.500041','2026-12-03 09:54:23.598896','2025-04-15','released','confidential','confidential',NULL,'[]','["detention_refoulement", "access_loss", "targeting"]','["purpose_defined", "advocacy", "cost_of_not_sharing", "recipients_bound"]','Aggregated to mantika, but it describes conditions and incidents in a few identifiable detention facilities: disclosure could lead to reprisals against detainees and to loss of access. Shared with UNHCR and IOM for follow-up and advocacy under the sector data sharing agreement.','',NULL,'[]','{"doc_type": [{"code": "doc_type:protection_monitoring_report", "reason": "title says ''Protection monitoring report''; headings ''Key informant''"}, {"code": "doc_type:assessment", "reason": "headings ''Methodology'', ''Key findings''; mentions ''key informant interviews'', ''Findings''"}], "sector": [{"code": "sector:protection", "reason": "mentions ''protection sector'' once, ''protection partners'' once"}], "theme": [{"code": "theme:detention", "reason": "in the title (''detention''); mentions ''detention'' 7 times, ''detained'' twice, ''arrested'' once"}, {"code": "theme:protection_monitoring", "reason": "in the title (''Protection monitoring''); mentions ''Protection monitoring'' twice"}, {"code": "theme:data_responsibility", "reason": "mentions ''informed consent'' once, ''Confidentiality'' once, ''confidential'' once"}], "population": [{"code": "population:refugees", "reason": "in the title (''refugees''); mentions ''refugees'' 3 times"}, {"code": "population:migrants", "reason": "in the title (''migrants''); mentions ''migrants'' twice"}, {"code": "population:children", "reason": "mentions ''children'' 4 times"}, {"code": "population:asylum_seekers", "reason": "mentions ''asylum seekers'' once, ''asylum'' once"}], "location": [{"code": "location:LY03", "reason": "in the title (''southern Libya''); mentions ''southern Libya'' once"}, {"code": "location:LY0319", "reason": "mentions ''Sebha'' 3 times"}, {"code": "location:LY0107", "reason": "mentions ''Alkufra'' once, ''Kufra'' once"}]}','en','Protection monitoring report: migrants and refugees in detention
in southern Libya, January-March 2025
DRC - Danish Refugee Council | 2025-04-15
1. Background and purpose
This report summarises protection monitoring carried out by DRC and its national partner in the south
of Libya between January and March 2025. It aims to inform the protection sector''s advocacy on
detention and to help partners plan services for people released from detention. It does not name
detention facilities; a site-level annex is held by DRC and shared bilaterally on request.
2. Methodology
Monitors conducted 146 individual interviews with migrants, refugees and asylum seekers released
from detention during the previous three months, and 22 key informant interviews with community
leaders, health workers and municipal staff. Interviews took place in community centres or by
telephone, after informed consent. No names or contact details were recorded in the monitoring tool.
Findings are indicative and not statistically representative of the detained population.
3. Key findings
Conditions. Most respondents (71 per cent) described severe overcrowding, and more than half said
they received one meal a day or less. Access to drinking water was described as insufficient in all
three mantikas. Respondents released from facilities in Sebha reported outbreaks of scabies and
respiratory infections without medical follow-up.
Protection screening. Only 9 of the 146 respondents said they had been asked whether they wished to
seek asylum. Respondents from Sudan and Eritrea, many of whom are likely to need international
protection, were held together with other nationalities, and none reported having been registered by a
humanitarian agency while detained.
Children. Monitors recorded 17 accounts of children held with unrelated adults, including five accounts
of unaccompanied adolescents. Child protection partners were informed through the agreed referral
channel.
Release and onward risks. Release was most often obtained through payments made by relatives,
and a third of respondents said they were re-arrested, or threatened with re-arrest, within weeks.
Several respondents were transferred between facilities without being told the reason or the
destination.
4. Monitoring coverage by mantika
Mantika
Interviews with
released persons
Key informant
interviews
Accounts involving
children
Planned visits
carried out
Sebha 78 10 9 4 of 9
Ubari 31 6 3 2 of 5
Alkufra 37 6 5 1 of 4
Total 146 22 17 7 of 18
5. Recommendations
To the authorities: allow regular and unannounced humanitarian access to all places of detention; end

the detention of children and of persons registered with UNHCR; establish a procedure to identify
people with specific needs. To UNHCR and IOM: follow up on the access issues raised in this report
and include the south in the next registration missions. To protection partners: strengthen post-release
services in Sebha and Kufra, including medical referral, legal counselling and emergency cash
assistance.
6. Confidentiality
This report is proposed as confidential. It describes conditions in a small number of identifiable
facilities, and wider circulation could expose detainees and monitors to reprisals and jeopardise
access. Please do not forward it outside the organisations granted access.','ok',NULL,NULL);
INSERT INTO "documents" VALUES(3,'Misrata IDP and returnee baseline, round 3: summary of findings','Third round of the IDP and returnee baseline in Misrata mantika: baladiya-level estimates of displaced and returnee households, documentation gaps and first priority needs, with a focus on returns to Tawergha.','iom-misrata-baseline-summary-2025-r3.pdf','f14adf6cf2f537ee884cb842bce9cd86004120d78cd96fd4aa11f1726899f70c',3,8,'2026-12-03 09:54:23.932016','2026-12-03 09:54:24.028183','2025-02-20','released','public','public',NULL,'[]','["small_cells"]','["aggregated_to_district", "anonymised", "coordination"]','Figures aggregated to baladiya level and rounded to the nearest ten; no site, household or personal data. Public, in line with the ISP rule for assessment results at district level.','',NULL,'[]','{"doc_type": [{"code": "doc_type:assessment", "reason": "title says ''findings''; headings ''Key findings'', ''households'', ''Methodology''; mentions ''findings'', ''limitations''"}], "sector": [{"code": "sector:shelter_nfi", "reason": "mentions ''Shelter'' 5 times"}, {"code": "sector:protection", "reason": "mentions ''protection concern'' once, ''Protection partners'' once"}], "theme": [{"code": "theme:civil_documentation", "reason": "mentions ''Civil documentation'' 3 times, ''national number'' once"}, {"code": "theme:durable_solutions", "reason": "mentions ''returns'' twice, ''Durable solutions'' once"}], "population": [{"code": "population:idp", "reason": "in the title (''IDP''); mentions ''displaced'' 5 times, ''IDP'' 3 times, ''displaced persons'' once"}, {"code": "population:returnees", "reason": "in the title (''returnee''); mentions ''returnee'' 6 times"}], "location": [{"code": "location:LY0214", "reason": "in the title (''Misrata''); mentions ''Misrata'' 6 times"}, {"code": "location:LY0214-tawergha", "reason": "mentions ''Tawergha'' 7 times"}, {"code": "location:LY021402", "reason": "mentions ''Zliten'' 3 times"}, {"code": "location:LY021404", "reason": "mentions ''Bani Waleed'' twice"}]}','en','Misrata IDP and returnee baseline, round 3: summary of findings
IOM - International Organization for Migration | 2025-02-20
Overview
The third round of the baseline took place between 12 and 30 January 2025 in the four baladiyas of
Misrata mantika. Enumerators interviewed 214 key informants, including municipal officials, civil
society representatives, community elders and members of displaced persons'' committees. Figures
are key informant estimates, triangulated with municipal records where available, and rounded to the
nearest ten.
Key findings
An estimated 6,280 IDP households and 3,710 returnee households live in the mantika. Misrata
baladiya hosts the largest displaced population, mostly families displaced from Benghazi, Sirt and
Tawergha over the last decade, and a smaller group displaced by the 2023 floods in the east. In
Tawergha, returns continue at a slow pace; most returnee households live in houses that need repair
and report limited access to electricity and health care.
Shelter remains the first priority need in Misrata and Zliten, where most displaced households rent and
struggle to pay the rent. Civil documentation is the main protection concern in Tawergha and Bani
Waleed: more than a quarter of returnee households are reported to lack at least one core document,
such as the family booklet or the national number certificate, which restricts access to public services,
salaries and compensation schemes.
Key informants in all baladiyas described relations between displaced and host communities as
generally good, but pointed to competition over rental housing and casual work. Informants in
Tawergha said that movement along the coastal road has improved, although returnees are still
occasionally asked for documents at checkpoints.
Baladiya-level figures
Baladiya IDP households
Returnee
households
Households
lacking a core
document (%)
First priority need
Misrata 4,120 1,050 9 Shelter
Tawergha 60 1,480 27 Civil documentation
Zliten 1,390 620 11 Shelter
Bani Waleed 710 560 26 Livelihoods
Total 6,280 3,710 16 -
Methodology and limitations
The baseline relies on key informant estimates and does not measure individual vulnerabilities.
Figures for Bani Waleed were partly collected by telephone because of access constraints in the
second half of January. The detailed dataset, with individuals, shelter indicators and neighbourhood
breakdowns, is available to partners in the repository as a separate file.
Recommendations
Protection partners should prioritise legal assistance on civil documentation in Tawergha and Bani
Waleed, and coordinate with the shelter sector on rental support and eviction prevention in Misrata

and Zliten. Durable solutions planning should distinguish pendular returns to Tawergha from
permanent ones, and track both in the next round.','ok',NULL,NULL);
INSERT INTO "documents" VALUES(4,'Misrata IDP and returnee baseline, round 3: baladiya and neighbourhood dataset','Neighbourhood-level estimates of IDP and returnee individuals and households, renting and documentation gaps in the four baladiyas of Misrata mantika (round 3, January 2025).','iom-misrata-baseline-dataset-2025-r3.xlsx','b107176817f5913fe3db6e12f0bb02d32dd497f8037d37479a71273884a054ca',3,8,'2026-12-03 09:54:24.699548','2026-12-03 09:54:24.747979','2025-02-20','released','restricted','restricted',NULL,'[]','["small_cells", "re_identification"]','["purpose_defined", "response_planning"]','Neighbourhood-level rows with small counts in Tawergha: restricted to vetted partners. The baladiya-level summary of the same round is public.','',NULL,'[]','{}',NULL,'','unavailable','the spreadsheet could not be read (InvalidFileException)',NULL);
INSERT INTO "documents" VALUES(5,'Concept note: legal assistance on civil documentation and housing, land and property rights for displaced and returnee households in Libya','Concept note for a twelve-month information, counselling and legal assistance project in Tripoli, Misrata, Tawergha and Derna: civil documentation, tenure documents, collaborative dispute resolution and eviction prevention.','nrc-civil-documentation-hlp-concept-note.docx','e662919bec1fe820c7a9d77cdd864fb37836fbe195cbabadd380d011e8bdbee0',6,7,'2026-12-03 09:54:25.191662','2026-12-03 09:54:25.247142','2025-01-28','released','public','public',NULL,'[]','[]','["anonymised", "coordination"]','Programme design document with no personal data and no operational security details. Public, to support coordination and resource mobilisation.','',NULL,'[]','{"doc_type": [{"code": "doc_type:concept_note", "reason": "title says ''Concept note''; headings ''Objectives''; mentions ''budget''"}], "theme": [{"code": "theme:housing_land_property", "reason": "in the title (''housing, land and property''); mentions ''housing, land and property'' 5 times, ''eviction'' 5 times, ''tenure'' twice"}, {"code": "theme:civil_documentation", "reason": "in the title (''civil documentation''); mentions ''civil documents'' twice, ''birth registration'' twice, ''civil documentation'' once"}, {"code": "theme:legal_aid", "reason": "in the title (''legal assistance''); mentions ''legal assistance'' 3 times, ''lawyers'' twice, ''courts'' once"}, {"code": "theme:ds_hlp", "reason": "mentions ''compensation'' 4 times"}, {"code": "theme:durable_solutions", "reason": "mentions ''durable solutions'' once, ''return areas'' once"}], "population": [{"code": "population:idp", "reason": "in the title (''displaced''); mentions ''displaced'' 5 times, ''displacement'' 3 times, ''IDPs'' twice"}, {"code": "population:returnees", "reason": "in the title (''returnee''); mentions ''returnee'' 4 times"}], "location": [{"code": "location:LY0101", "reason": "mentions ''Derna'' 4 times"}, {"code": "location:LY0214-tawergha", "reason": "mentions ''Tawergha'' 3 times"}, {"code": "location:LY0211", "reason": "mentions ''Tripoli'' twice"}]}','en','Concept note: legal assistance on civil documentation and housing, land and property rights for displaced and returnee households in Libya
NRC - Norwegian Refugee Council | 2025-01-28
1. Context
Displaced and returnee households in Libya frequently lack the civil documents needed to access services, salaries, pensions and compensation. Family booklets, national number certificates and birth certificates are lost during displacement, destroyed in conflict or washed away, as in the Derna floods of September 2023. Replacing them usually requires a visit to the civil registry office of the place of origin, which is costly and sometimes unsafe. Children born during displacement are often registered late or not at all.
Housing, land and property issues are closely linked. In Tawergha, most houses were damaged or looted during more than seven years of displacement, and many owners no longer hold title deeds or other proof of ownership. In Derna, flood-displaced families face eviction from collective shelters and rented flats, while inheritance and compensation claims depend on death or absence certificates for missing relatives. In Tripoli, informal rental agreements leave displaced tenants with little protection against sudden eviction.
2. Objectives
The project aims to help displaced and returnee households obtain the civil documents they need and to secure their housing, land and property rights, as a step towards durable solutions in line with the IASC framework. Specific objectives are to improve access to accurate information, to provide individual legal assistance, and to strengthen the capacity of local lawyers, civil registry staff and community dispute resolution committees.
3. Activities
Information and counselling: group information sessions and individual counselling on civil registration procedures, inheritance and tenure rights, delivered in community centres and through mobile teams. Legal assistance: accompaniment to civil registry offices, preparation of applications and, where needed, representation before courts for late birth registration, replacement documents and certificates of absence. Housing, land and property: documentation of tenure, support to claims before the compensation committees, collaborative dispute resolution between neighbours and family members, and negotiation with landlords to prevent evictions. Capacity building: training of lawyers and civil registry staff, and joint mobile registration days with the Civil Registry Authority in Tawergha and Derna.
4. Target locations and caseload
Location	Main caseload	Individuals targeted	Main issues
Tripoli	IDPs in informal rentals	2,400	Evictions, replacement documents
Misrata and Tawergha	Returnees and IDPs	3,100	Title documents, compensation, birth registration
Derna	Flood-displaced households	2,800	Absence certificates, inheritance, evictions
Total	-	8,300	-
5. Coordination and risk management
The project will be coordinated through the protection sector and its housing, land and property working group, and will follow the sector''s referral pathway. Case files will be kept in the organisation''s case management system, with access limited to legal staff; only aggregated figures will be shared with the sector. The main risks are restrictions on access, changes in civil registry procedures, and tensions over property in return areas; these will be mitigated through regular engagement with municipalities and a conflict-sensitive approach to dispute resolution.
6. Timeframe and budget
The project will run for twelve months from July 2025, with an indicative budget of USD 1.2 million, of which about two thirds cover the legal teams in the three locations.','ok',NULL,NULL);
INSERT INTO "documents" VALUES(6,'Training report: GBV safe referral and the survivor-centred approach for frontline workers, Benghazi, 10-12 February 2025','Report of a three-day training for frontline workers from municipal services, health centres and community organisations in Benghazi and Derna on safe referral of GBV survivors, the survivor-centred approach and the updated referral pathway. Includes a participant list.','irc-gbv-referral-training-benghazi-2025-02.docx','7f8c5ef8301c23e82c01e8fa39d50b4d391a03cf5ae134e662dc2d93725ae91b',5,6,'2026-12-03 09:54:25.866809','2026-12-03 09:54:25.972004','2025-02-24','released','confidential','restricted','strictly_confidential','["Coded sector:gbv, theme:gbv and gives ids, phone numbers or e-mail addresses of individuals", "Coded sector:gbv, theme:gbv and names 8 people", "A list of 8 personal names", "Phone numbers of individuals (8)"]','["staff_safety", "re_identification", "consent_gap"]','["purpose_defined"]','The annex lists names, organisations and mobile numbers of frontline workers dealing with GBV disclosures; disclosure could expose them to pressure or threats. Raised from restricted to confidential. A version without the annex can be resubmitted as restricted.','Demo data: fictional content.',NULL,'[{"kind": "person_name", "count": 8, "where": ["line 21", "line 22", "line 23", "line 24", "line 25", "line 26", "line 27", "line 28"], "example": "H. E."}, {"kind": "phone", "count": 8, "where": ["line 21", "line 22", "line 23", "line 24", "line 25", "line 26", "line 27", "line 28"], "example": "+218 9\u2022 \u2022\u2022\u2022 \u2022\u202201"}]','{"doc_type": [{"code": "doc_type:training_report", "reason": "title says ''Training report''; title says ''Training''; headings ''Participants''; mentions ''Training'', ''Pre-test'', ''Post-test''"}], "sector": [{"code": "sector:gbv", "reason": "in the title (''GBV''); mentions ''GBV'' 3 times, ''GBV sub-sector'' twice, ''safe spaces'' once"}, {"code": "sector:health", "reason": "mentions ''Primary health care'' 3 times"}], "theme": [{"code": "theme:gbv", "reason": "in the title (''GBV''); mentions ''survivor'' 6 times, ''GBV'' 3 times, ''gender-based violence'' twice"}, {"code": "theme:data_responsibility", "reason": "mentions ''informed consent'' 3 times, ''confidentiality'' 3 times, ''data protection'' once"}, {"code": "theme:legal_aid", "reason": "mentions ''legal aid'' twice, ''Lawyer'' once"}, {"code": "theme:mhpss", "reason": "mentions ''psychological first aid'' twice"}], "population": [{"code": "population:women_girls", "reason": "mentions ''women'' 4 times"}], "location": [{"code": "location:LY0101", "reason": "mentions ''Derna'' 7 times"}, {"code": "location:LY0103", "reason": "in the title (''Benghazi''); mentions ''Benghazi'' 4 times"}]}','en','Training report: GBV safe referral and the survivor-centred approach for frontline workers, Benghazi, 10-12 February 2025
IRC - International Rescue Committee | 2025-02-24
1. Purpose
Frontline workers are often the first people a survivor of gender-based violence speaks to. This training aimed to ensure that staff from non-specialised services in Benghazi and Derna can respond safely to a disclosure, provide basic information and refer survivors to specialised services with their informed consent, without collecting details of the incident themselves.
2. Participants
Twenty-four participants attended, seventeen women and seven men, from the social affairs offices, primary health care centres, women''s associations, youth centres and the legal aid network in Benghazi and Derna. Most had no previous training on GBV. Eight participants work directly with flood-displaced families in Derna.
3. Content
Day one covered key concepts, the causes and consequences of gender-based violence and the guiding principles of the survivor-centred approach: safety, confidentiality, respect and non-discrimination. Day two focused on psychological first aid, how to receive a disclosure, and the steps of a safe referral using the updated inter-agency referral pathway for the east. Day three addressed self-care, mandatory reporting dilemmas and data protection, including why names and incident details should never be written in registers or sent by messaging applications.
4. Results
Knowledge improved on all topics. The largest gains concerned confidentiality and informed consent, where many participants initially believed that informing a family member was always in the survivor''s interest.
Topic	Pre-test average (%)	Post-test average (%)
Key concepts and guiding principles	52	88
Receiving a disclosure and psychological first aid	47	81
Informed consent and confidentiality	38	85
Referral pathway and service mapping	41	79
5. Challenges and recommendations
Participants noted that specialised GBV services remain scarce in Derna, that women''s safe spaces have long waiting times, and that transport costs prevent some survivors from reaching services. They asked for a short refresher in three months and for printed pocket cards with the referral pathway. IRC recommends that the GBV sub-sector organise a follow-up session on case scenarios and that partners nominate focal points for each service.
Annex: participant list
The list below is for follow-up by the training team only. It contains names and mobile numbers and must not be shared beyond the GBV sub-sector coordination team.
No.	Name	Organisation	Function	Mobile
1	Huda Example	Social Affairs Office, Benghazi	Social worker	+218 91 000 0101
2	Omar Sample	Primary health care centre	Nurse	+218 91 000 0102
3	Salma Placeholder	Women''s association	Volunteer coordinator	+218 91 000 0103
4	Mariam Demo	Legal aid network	Lawyer	+218 91 000 0104
5	Khaled Fictional	Youth centre, Derna	Facilitator	+218 91 000 0105
6	Nour Specimen	Social Affairs Office, Derna	Case worker	+218 91 000 0106
7	Aisha Mockup	Primary health care centre	Midwife	+218 91 000 0107
8	Yusuf Testcase	Community committee, Derna	Outreach worker	+218 91 000 0108','ok',NULL,NULL);
INSERT INTO "documents" VALUES(7,'Iraq Durable Solutions Technical Working Group: summary of the May 2025 meeting','Summary of the DSTWG meeting in Erbil: returns to Sinjar, camp consolidation in Duhok, reconstruction and housing in west Mosul, civil documentation and compensation claims, and the area-based coordination groups.','nrc-iraq-dstwg-summary-2025-05.pdf','2fabe7e22e628c5ad1aa3d0e3068a5bdd2fc928a77f554a50a40ca3575de98b6',6,7,'2026-12-03 09:54:26.701980','2026-12-03 09:54:26.778039','2025-05-22','released','restricted','restricted',NULL,'[]','["access_loss"]','["coordination", "purpose_defined"]','Working group summary with no personal data; it discusses sensitive policy issues (camp closures, security clearance) and is restricted to partners.','',NULL,'[]','{"doc_type": [{"code": "doc_type:meeting_minutes", "reason": "title says ''meeting''; headings ''Meeting'', ''Action points'', ''Next meeting''; mentions ''participants'', ''co-chairs''"}], "sector": [{"code": "sector:cccm", "reason": "mentions ''camps'' 6 times, ''camp closures'' once"}, {"code": "sector:protection", "reason": "mentions ''protection cluster'' twice"}, {"code": "sector:early_recovery", "reason": "mentions ''Reconstruction'' twice"}], "theme": [{"code": "theme:durable_solutions", "reason": "in the title (''Durable Solutions''); mentions ''return'' 6 times, ''Durable Solutions'' twice, ''returning'' once"}, {"code": "theme:civil_documentation", "reason": "mentions ''civil documentation'' 3 times"}, {"code": "theme:ds_hlp", "reason": "mentions ''compensation'' twice"}, {"code": "theme:housing_land_property", "reason": "mentions ''eviction'' once, ''property'' once"}], "population": [{"code": "population:returnees", "reason": "mentions ''returnees'' 3 times"}, {"code": "population:idp", "reason": "mentions ''Displaced'' once, ''IDPs'' once"}], "location": [{"code": "location:IQG09", "reason": "mentions ''Duhok'' 5 times"}, {"code": "location:IQG15-mosul", "reason": "mentions ''Mosul'' 4 times"}, {"code": "location:IQG15-sinjar", "reason": "mentions ''Sinjar'' 3 times, ''Sinjar district'' once"}, {"code": "location:IQG11", "reason": "mentions ''Erbil'' twice"}]}','en','Iraq Durable Solutions Technical Working Group: summary of the
May 2025 meeting
NRC - Norwegian Refugee Council | 2025-05-22
Meeting details
The Durable Solutions Technical Working Group met in Erbil on 18 May 2025, co-chaired by NRC and
the solutions focal point of the humanitarian coordination team, with 27 participants from UN agencies,
international and national NGOs. Government counterparts from the Ministry of Migration and
Displaced joined for the first item.
1. Returns to Sinjar
Partners reported a steady increase in returns from camps in Duhok to Sinjar district since the
beginning of the year, with an estimated 1,900 families returning between January and April. Most
returnees cite the return grant and the announced camp closures as their main reasons, rather than
improved conditions. Returnees face damaged housing, limited water and electricity, few livelihood
opportunities and unclear security arrangements. Members stressed that information on conditions in
Sinjar must reach families in the camps before they decide, and agreed to update the joint return
intention factsheet.
2. Camp consolidation in Duhok
The group discussed the planned consolidation of camps in Duhok governorate. Partners asked that
families who cannot return be offered local integration or settlement elsewhere, and that vulnerable
households, including female-headed households and persons with disabilities, be identified early.
The protection cluster will share an aggregated analysis of protection needs by camp, without
household data, ahead of the next meeting.
3. Reconstruction and housing in west Mosul
In the old city of Mosul, reconstruction continues but many owners cannot prove ownership or cannot
afford repairs. Tenants and families living in unfinished buildings remain at risk of eviction. Members
welcomed the municipal initiative to issue occupancy letters and asked for legal partners to be
involved in its design to avoid excluding informal residents.
4. Civil documentation and compensation
Missing civil documentation remains the most frequent legal need among IDPs and returnees.
Partners reported that security clearance requirements continue to delay the issuance of the unified
national card for some families, particularly those with a perceived affiliation. Compensation claims for
destroyed property are progressing slowly, with long waiting times between the assessment of
damage and payment.
Action points
Action Lead Deadline
Update the Sinjar return intention factsheet DSTWG co-chairs 15 June 2025
Share aggregated protection needs analysis for Duhok camps Protection cluster Next meeting
Submit comments on the Mosul occupancy letter initiative Legal partners 30 June 2025
Map partners offering civil documentation support in Ninewa NRC Next meeting

Next meeting
The next meeting will take place in Erbil in June 2025, with remote participation from Duhok and
Mosul.','ok',NULL,NULL);
INSERT INTO "documents" VALUES(8,'Libya mine action situation report No. 4/2025 (April 2025)','Monthly mine action update: clearance in southern Tripoli, Benghazi and the Derna flood area, explosive ordnance risk education, casualties recorded and coordination issues.','unmas-mine-action-sitrep-2025-04.pdf','e8a1ae40498ec1ce8e7c0d9140c2f7232d62198c2db1ab0fec509f6957ca76af',7,9,'2026-12-03 09:54:27.312846','2026-12-03 09:54:27.390324','2025-05-06','released','public','public',NULL,'[]','[]','["aggregated_to_district", "cost_of_not_sharing"]','Routine situation report with figures by mantika. Casualties are aggregated and anonymised, and hazard coordinates are not included. Public; wide circulation supports community safety.','',NULL,'[]','{"doc_type": [{"code": "doc_type:situation_report", "reason": "title says ''situation report''; headings ''Highlights''"}], "sector": [{"code": "sector:mine_action", "reason": "in the title (''mine action''); mentions ''Risk education'' 4 times, ''mine action'' 3 times, ''mine action sub-sector'' twice"}, {"code": "sector:education", "reason": "mentions ''schools'' once, ''teachers'' once"}], "theme": [{"code": "theme:explosive_ordnance", "reason": "mentions ''explosive ordnance'' twice, ''Explosive ordnance risk education'' once, ''unexploded ordnance'' once"}], "population": [{"code": "population:children", "reason": "mentions ''children'' twice"}], "location": [{"code": "location:LY0211", "reason": "mentions ''Tripoli'' 5 times"}, {"code": "location:LY0101", "reason": "mentions ''Derna'' 4 times"}, {"code": "location:LY0103", "reason": "mentions ''Benghazi'' 3 times"}]}','en','Libya mine action situation report No. 4/2025 (April 2025)
UNMAS - United Nations Mine Action Service | 2025-05-06
Highlights
In April 2025, mine action partners cleared more than 310,000 square metres of land and removed
1,840 items of explosive ordnance in Tripoli, Benghazi and Derna. Explosive ordnance risk education
sessions reached 6,900 people, more than half of them children. Four casualties were recorded, all in
the southern suburbs of Tripoli.
Clearance
In the southern suburbs of Tripoli, clearance continued in residential areas affected by the 2019-2020
fighting, where returning families still find unexploded ordnance and improvised devices in houses and
farmland. In Benghazi, teams completed the survey of two damaged residential blocks in the old city.
In Derna, teams continued to search the wadi and the coastline, where flood waters in 2023 moved
and buried explosive remnants of war.
Area
Land released
(m2)
Items removed
Risk education
participants
Tripoli (southern suburbs) 164,000 1,120 3,150
Benghazi 98,000 470 2,010
Derna 51,000 250 1,740
Total 313,000 1,840 6,900
Risk education
Risk education teams worked in schools, mosques and community centres, and through social media
messages during the Eid holidays, when families travel to farms and picnic areas. Partners trained 42
teachers in Derna to deliver key safety messages in their classrooms.
Casualties and victim assistance
Four civilians were injured in two separate incidents in the southern suburbs of Tripoli, both involving
children handling unknown objects near abandoned positions. Survivors were referred for medical
care and psychosocial support, and the families were visited by victim assistance partners. No
incidents were recorded in the east during the month.
Coordination and challenges
Delays in the approval of new operators and in the import of equipment continue to limit capacity.
Funding for the second half of the year is not yet secured, and two clearance teams will be suspended
in July unless new contributions are received. Partners encourage humanitarian organisations
planning shelter rehabilitation or agricultural activities in former front-line areas to request a risk
assessment from the mine action sub-sector before starting work.
Contacts
Requests for explosive ordnance risk assessments and risk education sessions can be sent to the
mine action sub-sector through its functional mailbox listed in the sector contact list.','ok',NULL,NULL);
INSERT INTO "documents" VALUES(9,'محضر اجتماع مجموعة عمل الحماية في سبها - أبريل 2025','محضر الاجتماع الشهري لمجموعة عمل الحماية الفرعية في سبها: أوضاع المهاجرين في مراكز الاحتجاز، والوثائق المدنية للنازحين والعائدين، ومسار الإحالة وخريطة الخدمات في الجنوب.','fho-sebha-pswg-minutes-ar-2025-04.pdf','01d9a08ac6f32c98760da0cb6d39bf5e330152e0b3340bf518bccd1c75edaa36',8,10,'2026-12-03 09:54:28.867607','2026-12-03 09:54:29.016733','2025-04-16','released','restricted','restricted',NULL,'[]','["access_loss"]','["coordination", "purpose_defined"]','Sub-working group minutes in Arabic; no personal data, detention described in general terms. Restricted to partners like all sector minutes.','',NULL,'[{"kind": "sensitive_site", "count": 2, "where": ["line 19", "line 43"], "example": "\u0645\u0631\u0643\u0632 \u0627\u0644\u0627\u062d\u062a\u062c\u0627\u0632"}]','{"doc_type": [{"code": "doc_type:meeting_minutes", "reason": "title says ''\u0645\u062d\u0636\u0631 \u0627\u062c\u062a\u0645\u0627\u0639''; title says ''\u0627\u062c\u062a\u0645\u0627\u0639''; headings ''\u0646\u0642\u0627\u0637 \u0627\u0644\u0639\u0645\u0644''; mentions ''\u0627\u062c\u062a\u0645\u0627\u0639''"}], "sector": [{"code": "sector:protection", "reason": "in the title (''\u0645\u062c\u0645\u0648\u0639\u0629 \u0639\u0645\u0644 \u0627\u0644\u062d\u0645\u0627\u064a\u0629''); mentions ''\u0645\u062c\u0645\u0648\u0639\u0629 \u0639\u0645\u0644 \u0627\u0644\u062d\u0645\u0627\u064a\u0629'' once, ''\u0644\u0645\u062c\u0645\u0648\u0639\u0629 \u0639\u0645\u0644 \u0627\u0644\u062d\u0645\u0627\u064a\u0629'' once, ''\u0642\u0637\u0627\u0639 \u0627\u0644\u062d\u0645\u0627\u064a\u0629'' once"}], "theme": [{"code": "theme:detention", "reason": "mentions ''\u0645\u062d\u062a\u062c\u0632\u064a\u0646'' once, ''\u0627\u0644\u0645\u062d\u062a\u062c\u0632\u064a\u0646'' once"}, {"code": "theme:civil_documentation", "reason": "mentions ''\u0627\u0644\u0648\u062b\u0627\u0626\u0642 \u0627\u0644\u0645\u062f\u0646\u064a\u0629'' once, ''\u0627\u0644\u0631\u0642\u0645 \u0627\u0644\u0648\u0637\u0646\u064a'' once"}], "population": [{"code": "population:idp", "reason": "mentions ''\u0644\u0644\u0646\u0627\u0632\u062d\u064a\u0646'' twice, ''\u0627\u0644\u0646\u0627\u0632\u062d\u0629'' once, ''\u0627\u0644\u0646\u0632\u0648\u062d'' once"}, {"code": "population:migrants", "reason": "mentions ''\u0627\u0644\u0645\u0647\u0627\u062c\u0631\u064a\u0646'' twice"}], "location": [{"code": "location:LY0319", "reason": "in the title (''\u0633\u0628\u0647\u0627''); mentions ''\u0633\u0628\u0647\u0627'' 6 times"}, {"code": "location:LY03", "reason": "mentions ''\u0641\u0632\u0627\u0646'' 4 times, ''Fezzan'' once"}, {"code": "location:LY0320", "reason": "mentions ''\u0623\u0648\u0628\u0627\u0631\u064a'' 3 times, ''\u0648\u0623\u0648\u0628\u0627\u0631\u064a'' twice"}, {"code": "location:LY0211", "reason": "mentions ''\u0637\u0631\u0627\u0628\u0644\u0633'' twice"}]}','ar','محضر اجتماع مجموعة عمل الحماية في سبها - أبريل 2025
FHO - Fezzan Humanitarian Organisation | 2025-04-16
معلومات االجتماع
عُقد االجتماع الشهري لمجموعة عمل الحماية الفرعية في الجنوب يوم األحد 13 أبريل 2025 في مقر منظمة
فزان اإلنسانية بمدينة سبها، بمشاركة ممثلين عن تسع منظمات وطنية ودولية، وانضم منسق قطاع الحماية من
طرابلس عبر االتصال المرئي. ترأس االجتماع منسق المجموعة الفرعية، وتولت منظمة فزان اإلنسانية تدوين
المحضر.
جدول األعمال
:: مستجدات أوضاع المهاجرين وطالبي اللجوء في مراكز االحتجاز. ثالثاًأوال:ً اعتماد محضر االجتماع السابق. ثانياً
: ما: تحديث مسار اإلحالة وخريطة الخدمات. خامساًالوثائق المدنية للنازحين والعائدين في سبها وأوباري. رابعاً
يستجد من أعمال.
أوال:ً اعتماد محضر االجتماع السابق
اعتُمد محضر اجتماع شهر مارس دون مالحظات. وذكّر المنسق األعضاء بأن محاضر االجتماعات مصنفة على
أنها مقيدة وفق بروتوكول تبادل المعلومات، فال يجوز نشرها على المنصات العامة أو إرسالها إلى جهات خارج
القطاع دون موافقة مسبقة.
: أوضاع المهاجرين في مراكز االحتجازثانياً
لغيت زيارتان
ُأ
أفاد الشركاء بأن الوصول اإلنساني إلى مركز االحتجاز الرئيسي في سبها ما زال غير منتظم، إذ r
من أصل أربع زيارات مخطط لها خالل شهر مارس. ونقل المفرج عنهم صورة مقلقة عن االكتظاظ الشديد
ونقص الغذاء ومياه الشرب، وعن انتشار األمراض الجلدية دون متابعة طبية. كما أشار الشركاء إلى وجود أطفال
حيلت هذه الحاالت إلى شركاء حماية الطفل
ُأ
غير مصحوبين محتجزين مع بالغين ال تربطهم بهم صلة قرابة، وقد r
عبر القناة المتفق عليها.
وشدد المنسق على ضرورة عدم تداول أسماء المحتجزين أو تفاصيل الحوادث الفردية في االجتماعات العامة أو
عبر البريد اإللكتروني الجماعي، وأن تُرسل هذه المعلومات بشكل ثنائي إلى منسق القطاع. وتعهدت المفوضية
السامية لألمم المتحدة لشؤون الالجئين بإثارة مسألة الوصول مع السلطات المعنية في طرابلس، وبإبالغ
المجموعة بالنتائج في االجتماع القادم.
: الوثائق المدنية للنازحين والعائدينثالثاً
عرضت منظمة فزان اإلنسانية نتائج جلسات التوعية القانونية التي نظمتها في سبها وأوباري، والتي شارك فيها
ً من األسر النازحة فقدت كتيّب العائلة أو شهادة الرقم الوطني أثناء النزوح،
أكثر من مئتي شخص. وتبين أن كثيرا
وأن استخراج بدل فاقد يتطلب السفر إلى مكتب السجل المدني في البلدية األصلية، وهو أمر مكلف وغير آمن
لبعض األسر. واقترح الشركاء التنسيق مع مصلحة األحوال المدنية لتنظيم زيارات ميدانية متنقلة إلى أوباري خالل
الربع القادم.
: مسار اإلحالة وخريطة الخدماترابعاً
قدم المنسق النسخة المحدثة من مسار اإلحالة المشترك بين الوكاالت، والتي تشمل ألول مرة خدمات الدعم
لب من كل منظمة التحقق من بيانات خدماتها وأرقامالنفسي واالجتماعي والمساعدة القانونية في أوباري. وطُ
نقاط االتصال الرسمية قبل نهاية الشهر، مع التأكيد على عدم إدراج أرقام الهواتف الشخصية للموظفين.
نقاط العمل
اإلجراء | الجهة المسؤولة | الموعد النهائي
متابعة مسألة الوصول إلى مركز االحتجاز في سبها | المفوضية | االجتماع القادم

التنسيق مع مصلحة األحوال المدنية بشأن الزيارات المتنقلة إلى أوباري | منظمة فزان اإلنسانية | 31 مايو 2025
التحقق من بيانات الخدمات في مسار اإلحالة | جميع الشركاء | 30 أبريل 2025
: ما يستجد من أعمالخامساً
أعلن المجلس الدنماركي لالجئين عن بدء دورة جديدة من الرصد الحمائي في الجنوب خالل شهر مايو. وتقرر
عقد االجتماع القادم في سبها يوم األحد 11 مايو .2025','ok',NULL,NULL);
INSERT INTO "documents" VALUES(10,'تقرير الوضع: العودة إلى تاورغاء - مايو 2025','تقرير شهري عن أوضاع الأسر العائدة إلى تاورغاء: أعداد العائدين، والخدمات الأساسية، والوثائق المدنية، وحقوق السكن والأراضي والممتلكات، وحرية التنقل.','csa-tawergha-returns-sitrep-ar-2025-05.docx','8e0c91bc215f95058a1eca8032b27cdfd45584d88815d2561a97e28cfca91c9d',9,11,'2026-12-03 09:54:29.649387','2026-12-03 09:54:29.762590','2025-06-03','released','public','public',NULL,'[]','[]','["anonymised", "cost_of_not_sharing"]','Situation report at town level with no personal data; figures are aggregated and rounded. Public, in Arabic, to inform returnees and local authorities as well as partners.','',NULL,'[]','{"doc_type": [{"code": "doc_type:situation_report", "reason": "title says ''\u062a\u0642\u0631\u064a\u0631 \u0627\u0644\u0648\u0636\u0639''; headings ''\u0623\u0628\u0631\u0632 \u0627\u0644\u0645\u0633\u062a\u062c\u062f\u0627\u062a''"}], "sector": [{"code": "sector:health", "reason": "mentions ''\u0627\u0644\u0635\u062d\u064a'' twice, ''\u0627\u0644\u0635\u062d\u0629'' once"}, {"code": "sector:education", "reason": "mentions ''\u0627\u0644\u0645\u062f\u0627\u0631\u0633'' once, ''\u0627\u0644\u062a\u0639\u0644\u064a\u0645'' once"}], "theme": [{"code": "theme:durable_solutions", "reason": "in the title (''\u0627\u0644\u0639\u0648\u062f\u0629''); mentions ''\u0627\u0644\u0639\u0648\u062f\u0629'' 4 times, ''\u0627\u0644\u0639\u0648\u062f\u0629 \u0637\u0648\u0639\u064a\u0629'' once"}, {"code": "theme:civil_documentation", "reason": "mentions ''\u0627\u0644\u0648\u062b\u0627\u0626\u0642 \u0627\u0644\u0645\u062f\u0646\u064a\u0629'' 3 times, ''\u0627\u0644\u0631\u0642\u0645 \u0627\u0644\u0648\u0637\u0646\u064a'' once, ''\u0634\u0647\u0627\u062f\u0629 \u0627\u0644\u0645\u064a\u0644\u0627\u062f'' once"}, {"code": "theme:housing_land_property", "reason": "mentions ''\u0648\u0627\u0644\u0623\u0631\u0627\u0636\u064a'' twice, ''\u0648\u0627\u0644\u0645\u0645\u062a\u0644\u0643\u0627\u062a'' twice, ''\u0627\u0644\u0623\u0631\u0627\u0636\u064a'' once"}, {"code": "theme:ds_livelihoods", "reason": "mentions ''\u0641\u0631\u0635 \u0627\u0644\u0639\u0645\u0644'' once, ''\u0633\u0628\u0644 \u0627\u0644\u0639\u064a\u0634'' once"}, {"code": "theme:ds_hlp", "reason": "mentions ''\u0627\u0644\u062a\u0639\u0648\u064a\u0636'' once, ''\u0627\u0644\u062a\u0639\u0648\u064a\u0636\u0627\u062a'' once"}, {"code": "theme:social_cohesion", "reason": "mentions ''\u0648\u0627\u0644\u062a\u0645\u0627\u0633\u0643 \u0627\u0644\u0627\u062c\u062a\u0645\u0627\u0639\u064a'' once, ''\u0627\u0644\u0645\u0635\u0627\u0644\u062d\u0629'' once"}, {"code": "theme:legal_aid", "reason": "mentions ''\u0627\u0644\u0645\u0633\u0627\u0639\u062f\u0629 \u0627\u0644\u0642\u0627\u0646\u0648\u0646\u064a\u0629'' twice"}], "population": [{"code": "population:idp", "reason": "mentions ''\u0627\u0644\u0646\u0632\u0648\u062d'' 3 times, ''\u0627\u0644\u0646\u0627\u0632\u062d\u0629'' once, ''\u0646\u0632\u0648\u062d\u0647\u0645'' once"}, {"code": "population:returnees", "reason": "mentions ''\u0627\u0644\u0639\u0627\u0626\u062f\u064a\u0646'' 3 times"}, {"code": "population:children", "reason": "mentions ''\u0644\u0644\u0623\u0637\u0641\u0627\u0644'' once, ''\u0627\u0644\u0623\u0637\u0641\u0627\u0644'' once"}], "location": [{"code": "location:LY0214-tawergha", "reason": "in the title (''\u062a\u0627\u0648\u0631\u063a\u0627\u0621''); mentions ''\u062a\u0627\u0648\u0631\u063a\u0627\u0621'' 6 times"}, {"code": "location:LY0214", "reason": "mentions ''\u0648\u0645\u0635\u0631\u0627\u062a\u0629'' twice, ''\u0645\u0635\u0631\u0627\u062a\u0629'' once"}]}','ar','تقرير الوضع: العودة إلى تاورغاء - مايو 2025
CSA - Coastal Solidarity Association | 2025-06-03
أبرز المستجدات
واصلت الأسر النازحة من تاورغاء العودة إلى مدينتها بوتيرة بطيئة خلال شهر مايو 2025، وتشير تقديرات جمعية التضامن الساحلي إلى أن نحو 1500 أسرة تقيم في المدينة بشكل دائم أو متقطع. ولا يزال كثير من العائدين يتنقلون بين تاورغاء وأماكن نزوحهم في طرابلس وبنغازي ومصراتة، حيث يبقى بعض أفراد الأسرة لأسباب تتعلق بالدراسة أو العمل.
الخدمات الأساسية
أُعيد تشغيل محطة ضخ المياه الثانية في منتصف الشهر، مما أدى إلى تحسن إمدادات المياه في الأحياء الشمالية، بينما تعاني الأحياء الجنوبية من انقطاعات متكررة. ويعمل المركز الصحي ثلاثة أيام في الأسبوع بطاقم محدود، ويضطر المرضى إلى التوجه إلى مصراتة لتلقي الخدمات المتخصصة. وافتُتحت مدرستان ابتدائيتان منذ يناير، لكن المدرسة الثانوية ما زالت بحاجة إلى ترميم، مما يدفع بعض الأسر إلى إبقاء أبنائها في أماكن النزوح.
الوثائق المدنية
يبقى الحصول على الوثائق المدنية من أبرز الشواغل الحمائية. فقد رصدت فرق الجمعية 212 حالة لأسر تفتقر إلى وثيقة أساسية واحدة على الأقل، مثل كتيّب العائلة أو شهادة الرقم الوطني أو شهادة الميلاد للأطفال المولودين أثناء النزوح. ويؤدي غياب هذه الوثائق إلى صعوبات في تسجيل الأطفال في المدارس، وصرف المرتبات، والاستفادة من برامج التعويض.
السكن والأراضي والممتلكات
تضرر معظم المساكن في تاورغاء أو تعرض للنهب خلال سنوات النزوح، ولا يملك كثير من العائدين مستندات تثبت ملكيتهم بعد فقدانها أو إتلافها. وأفادت الأسر بأن إجراءات لجنة التعويضات بطيئة وغير واضحة، وأن بعض النزاعات على الأراضي الزراعية ما زالت قائمة دون آلية فعالة لحلها.
حرية التنقل والتماسك الاجتماعي
تحسنت حركة التنقل على الطريق الساحلي بين تاورغاء ومصراتة مقارنة بالعام الماضي، غير أن بعض العائدين أبلغوا عن مطالبتهم بإبراز وثائق لا يملكونها عند نقاط التفتيش. وتواصل لجان المصالحة المحلية عقد لقاءات دورية، ويرى المشاركون فيها أن تحسين الخدمات وتوفير فرص العمل شرطان أساسيان لاستدامة العودة.
الاحتياجات حسب القطاع
القطاع	الاحتياج الرئيسي	الأولوية
الحماية	المساعدة القانونية لاستخراج الوثائق المدنية	عالية
المأوى	ترميم المساكن المتضررة	عالية
الصحة	زيادة أيام عمل المركز الصحي وتوفير الأدوية	متوسطة
التعليم	ترميم المدرسة الثانوية	متوسطة
سبل العيش	دعم المشاريع الصغيرة والزراعة	متوسطة
التوصيات
توصي الجمعية قطاع الحماية والشركاء بتنظيم زيارات متنقلة لمصلحة الأحوال المدنية إلى تاورغاء، وتوسيع خدمات المساعدة القانونية في مجال السكن والأراضي والممتلكات، والتأكيد على أن تكون العودة طوعية وآمنة وكريمة، مع عدم ربط المساعدات بقرار العودة.','ok',NULL,NULL);
INSERT INTO "documents" VALUES(11,'Protection case note LY-DRC-25-0417: high-risk case referred to UNHCR','Case management note on a high-risk individual protection case after release from detention, prepared for the referral to the named UNHCR case officer.','drc-case-note-ly-25-0417.docx','5daa47ea89ff22d1378012cd85f9c194b40e1fc7f3d6cc171f3821dcb0733e44',4,5,'2026-12-03 09:54:30.359656','2026-12-03 09:54:30.456808','2025-04-22','released','strictly_confidential','strictly_confidential','confidential','["Identity, passport or case numbers (1)"]','["re_identification", "targeting", "detention_refoulement", "misuse_by_recipient"]','["consent_obtained", "purpose_defined", "recipients_bound"]','Individual case data on an asylum seeker facing threats: severe harm if disclosed. Access limited to the originating organisation and the named UNHCR case officer handling the referral, with the person''s consent.','',NULL,'[{"kind": "id_number", "count": 1, "where": ["line 1", "line 5"], "example": "LY-DRC-\u2022\u2022-\u2022\u202217"}]','{"sector": [{"code": "sector:health", "reason": "mentions ''Health'' twice"}], "theme": [{"code": "theme:detention", "reason": "mentions ''detention'' 3 times, ''arrest'' once, ''detained'' once"}, {"code": "theme:mhpss", "reason": "mentions ''Psychosocial support'' twice"}, {"code": "theme:data_responsibility", "reason": "mentions ''confidentiality'' once, ''informed consent'' once"}], "population": [{"code": "population:children", "reason": "mentions ''child'' 4 times, ''children'' 3 times"}, {"code": "population:asylum_seekers", "reason": "mentions ''asylum seeker'' 3 times"}], "location": [{"code": "location:LY0211", "reason": "mentions ''Tripoli'' 3 times"}, {"code": "location:LY0319", "reason": "mentions ''Sebha'' once"}]}','en','Protection case note LY-DRC-25-0417: high-risk case referred to UNHCR
DRC - Danish Refugee Council | 2025-04-22
Case identification
Field	Value
Case number	LY-DRC-25-0417
Person of concern	PoC-A (name held in the case management system only)
Profile	Woman, 30-35 years, asylum seeker, with two children aged 4 and 9
Current location	Tripoli (address held in the case file)
Risk level	High
Caseworker	DRC protection team, Tripoli
Referred to	UNHCR case officer (named in the repository grant)
Background
PoC-A arrived in Libya in mid-2024 through the south-eastern border area together with her two children, after fleeing armed conflict in her country of origin. She was intercepted near Sebha in late 2024 and held in detention for about three months, partly separated from her children, who were placed with an unrelated family group in the same facility. She was released in February 2025 after a payment made by a distant relative, who now demands repayment.
She travelled to Tripoli in March 2025 and contacted the DRC community centre after a referral from a community volunteer. Her asylum seeker certificate expired while she was in detention and she has not been able to renew it.
Protection risks
Threats: she reports repeated threats by telephone from the persons who organised the payment for her release, including threats to take her older child. Risk of re-arrest: without a valid document she is at risk of being detained again at checkpoints. Health: the younger child has a chronic respiratory condition that worsened in detention and needs regular treatment. Economic: she has no income and relies on a neighbour for food; rent is two months overdue.
Actions taken
Date	Action	By
2025-03-18	Initial assessment and safety plan	DRC caseworker
2025-03-19	Emergency cash for rent and food (one month)	DRC
2025-03-24	Medical referral for the younger child	DRC with health partner
2025-04-02	Psychosocial support sessions started (weekly)	DRC
2025-04-15	Follow-up visit; threats continue	DRC caseworker
Request to UNHCR
DRC requests that UNHCR renew the asylum seeker certificate as a priority and assess the case for an appropriate protection solution, including consideration for resettlement or other complementary pathways, in view of the ongoing threats and the medical needs of the child. DRC will continue case management, cash assistance and psychosocial support in the meantime and will inform UNHCR immediately of any change in the risk level.
Consent and confidentiality
PoC-A gave informed consent on 18 March 2025 for her information to be shared with UNHCR for the purpose of this referral only. The note must not be forwarded, printed or discussed in coordination meetings. Any further sharing requires new consent.','ok',NULL,NULL);
INSERT INTO "documents" VALUES(12,'Rapid protection assessment: collective shelters for flood-displaced families in Derna, January 2025','Rapid protection assessment in collective shelters housing flood-displaced families in Derna: eviction threats, missing documentation, psychosocial distress and GBV risks in shared facilities, with a shelter-by-shelter annex.','irc-derna-collective-shelters-rpa-2025-01.pdf','12a73331ad6daab8cae4fb97ff324d78f20860bfac0dbf21219da3120bddcefe',5,6,'2026-12-03 09:54:30.914223','2026-12-03 09:54:30.982937','2025-01-30','returned',NULL,'restricted','strictly_confidential','["The location of a sensitive site (2 mention(s) of a safe house, shelter, detention place or disembarkation point, with 6 GPS position(s))", "Exact GPS coordinates (6)"]','["re_identification", "small_cells", "targeting", "survivor_exposure"]','["purpose_defined", "cost_of_not_sharing"]','Returned for revision. The annex lists each collective shelter with GPS coordinates and counts of female-headed households and persons with disabilities, several below five; combined with the GBV findings this could expose residents. Please remove coordinates and shelter names, aggregate the annex to neighbourhood level, and resubmit: the narrative alone can be released as restricted.','',NULL,'[{"kind": "coordinates", "count": 6, "where": ["line 35", "line 36", "line 37", "line 38", "line 39", "line 40"], "example": "32.7\u2022, 22.6\u2022"}, {"kind": "sensitive_site", "count": 2, "where": ["line 19", "line 26"], "example": "safe space"}]','{"doc_type": [{"code": "doc_type:assessment", "reason": "title says ''assessment''; headings ''Key findings'', ''households''; mentions ''key informant interviews''"}], "sector": [{"code": "sector:shelter_nfi", "reason": "in the title (''collective shelters''); mentions ''shelters'' 7 times, ''collective shelters'' once"}, {"code": "sector:education", "reason": "mentions ''school'' 4 times"}, {"code": "sector:gbv", "reason": "mentions ''safe space'' twice, ''GBV'' once"}, {"code": "sector:wash", "reason": "mentions ''latrines'' once, ''sanitation'' once"}], "theme": [{"code": "theme:housing_land_property", "reason": "mentions ''Evictions'' 3 times"}], "population": [{"code": "population:idp", "reason": "in the title (''displaced families''); mentions ''displaced families'' twice"}, {"code": "population:women_girls", "reason": "mentions ''women'' 4 times, ''Women and girls'' once"}], "location": [{"code": "location:LY0101", "reason": "in the title (''Derna''); mentions ''Derna'' twice"}]}','en','Rapid protection assessment: collective shelters for
flood-displaced families in Derna, January 2025
IRC - International Rescue Committee | 2025-01-30
Summary
Sixteen months after the floods of September 2023, about 240 displaced families still live in collective
shelters in Derna, mainly former schools and public buildings. IRC conducted a rapid protection
assessment in six of these shelters between 12 and 20 January 2025, through focus group
discussions with women, men and adolescents, key informant interviews with shelter committees, and
observation of facilities.
Key findings
Evictions. Families in four of the six shelters have been told to leave before the start of the next school
year, without any alternative housing being offered. Most cannot afford rent in the city, where prices
have risen sharply since the floods.
Documentation. Many families lost their civil documents in the floods. Families of missing persons
report that without death or absence certificates they cannot access compensation, bank accounts or
inheritance.
Safety and GBV risks. Women and girls described shared latrines and showers without locks or
lighting, overcrowded rooms shared by several families, and harassment by visitors. Several women
said they avoid leaving their rooms after dark. No women''s safe space operates within walking
distance of three of the shelters.
Psychosocial distress. Adults and adolescents reported persistent grief, sleep problems and anxiety
during heavy rain. Services remain insufficient, with long waiting lists.
Recommendations
Advocate with the municipality for a moratorium on evictions until alternative housing is available;
expand legal assistance on documentation; install locks and lighting in sanitation facilities; establish a
mobile women''s safe space; scale up psychosocial support.
Annex: shelter profiles
Shelter GPS Families
Female-headed
households
Persons with
disabilities
Eviction
notice
Former school A 32.7671, 22.6392 58 14 6 Yes
Former school B 32.7603, 22.6451 44 9 3 Yes
Sports hall 32.7588, 22.6317 37 4 2 No
Public building C 32.7712, 22.6480 41 11 5 Yes
Former hotel 32.7650, 22.6525 33 3 1 Yes
Training institute 32.7542, 22.6409 27 6 2 No','ok',NULL,NULL);
INSERT INTO "documents" VALUES(13,'Kufra new arrivals line list, 1-15 March 2025','Individual-level list of new arrivals from Sudan and Chad recorded at reception points in Kufra, with age, sex, nationality, household size and specific needs.','iom-kufra-new-arrivals-line-list-2025-03.xlsx','5e52b50173de6f5702c74f3fbf028d8f7707f048971b726a2e56bbfca6ce1684',3,8,'2026-12-03 09:54:31.566075','2026-12-03 09:54:31.658970','2025-03-18','withheld',NULL,'restricted',NULL,'[]','["re_identification", "detention_refoulement", "targeting", "survivor_exposure"]','["purpose_defined", "response_planning"]','Withheld. Individual records with age, sex, nationality, reception point, arrival date and specific needs (including children travelling alone and a survivor of violence) are re-identifiable even without names; the ISP places such line lists at the severe level. Not shared through the repository: please submit an aggregated table by week, nationality, sex and age group, and exchange the line list bilaterally with child protection and GBV case managers under a data sharing agreement.','',NULL,'[]','{}',NULL,'','unavailable','the spreadsheet could not be read (InvalidFileException)',NULL);
INSERT INTO "documents" VALUES(14,'Child protection situation report: Benghazi and Derna, May 2025','Monthly child protection update for the east: psychosocial support, children without parental care after the Derna floods, child labour among displaced and migrant children, and birth registration.','drc-child-protection-sitrep-east-2025-05.pdf','6fbc91711682fc0cc228bf997347d270628538a1aaa99ce46d96dcfbb26c2d0c',4,5,'2026-12-03 09:54:32.301840','2026-12-03 09:54:32.301845','2025-06-05','submitted',NULL,'restricted',NULL,'[]','[]','[]','','',NULL,'[{"kind": "severe_topic", "count": 2, "where": ["line 11", "line 32"], "example": "survivors"}]','{"doc_type": [{"code": "doc_type:situation_report", "reason": "title says ''situation report''; headings ''Key figures''"}], "sector": [{"code": "sector:education", "reason": "mentions ''schools'' twice, ''education'' once"}], "theme": [{"code": "theme:child_protection", "reason": "in the title (''Child protection''); mentions ''child protection'' 3 times, ''Child labour'' once, ''unaccompanied children'' once"}, {"code": "theme:mhpss", "reason": "mentions ''psychosocial support'' twice, ''mental health'' once"}, {"code": "theme:civil_documentation", "reason": "mentions ''Birth registration'' once, ''birth certificates'' once"}], "population": [{"code": "population:children", "reason": "mentions ''children'' 15 times"}, {"code": "population:migrants", "reason": "mentions ''migrant'' 4 times"}, {"code": "population:idp", "reason": "mentions ''displaced'' once, ''displacement'' once"}], "location": [{"code": "location:LY0101", "reason": "in the title (''Derna''); mentions ''Derna'' 6 times"}, {"code": "location:LY0103", "reason": "in the title (''Benghazi''); mentions ''Benghazi'' 5 times"}]}','en','Child protection situation report: Benghazi and Derna, May 2025
DRC - Danish Refugee Council | 2025-06-05
Overview
In May 2025, DRC and its partners provided structured psychosocial support to 1,260 children in
Benghazi and Derna and followed up 94 child protection cases. The situation of children affected by
the Derna floods is stabilising, but needs remain high among children who lost one or both parents
and among migrant children working in Benghazi.
Children without parental care
Case workers continue to follow children who lost their parents in the floods and now live with
relatives. Most kinship carers face financial hardship, and several have asked for help with
guardianship procedures and access to survivors'' benefits. DRC referred 21 families to legal partners
for guardianship and inheritance cases during the month.
Child labour
Outreach teams in Benghazi identified children, mostly boys aged 12 to 17, working in car washes,
construction sites and markets. Many are migrant children travelling without their families or displaced
children whose families depend on their income. Cases were referred for cash assistance, non-formal
education and, where needed, family tracing.
Birth registration
Children born during displacement, and children of migrant parents, frequently lack birth certificates.
Without them, enrolment in public schools is refused or delayed. Partners are preparing joint sessions
with the civil registry in Derna for the start of the school year.
Key figures for the month
Activity Benghazi Derna Total
Children in structured psychosocial support 540 720 1,260
New child protection cases 31 22 53
Cases followed up 52 42 94
Parents and carers in parenting sessions 180 230 410
Gaps and priorities
Specialised mental health services for children remain scarce in both cities. Alternative care options
for unaccompanied migrant children are almost non-existent, and children are sometimes held with
adults after interception. Priorities for June are to expand parenting sessions in Derna, to agree interim
care arrangements for unaccompanied children with the social affairs office, and to train new case
workers on the standard case management forms.','ok',NULL,NULL);
INSERT INTO "documents" VALUES(15,'Missing civil documentation among IDPs and returnees in Anbar, Baghdad and Erbil: analysis of the legal assistance caseload, 2024','Analysis of NRC''s 2024 legal assistance caseload in three governorates: which documents are missing, why, how long replacement takes, and what this means for freedom of movement and durable solutions.','nrc-iraq-civil-documentation-analysis-2024.docx','51d5defd754c9fea220a354063ba6b38904e73eb4151e334a4e950fccbd1e4c2',6,7,'2026-12-03 09:54:32.859650','2026-12-03 09:54:32.859654','2025-03-27','submitted',NULL,'public',NULL,'[]','[]','[]','','',NULL,'[]','{"doc_type": [{"code": "doc_type:analysis", "reason": "title says ''analysis''"}], "sector": [{"code": "sector:cccm", "reason": "mentions ''camps'' once, ''informal settlements'' once"}], "theme": [{"code": "theme:civil_documentation", "reason": "in the title (''civil documentation''); mentions ''civil documentation'' 3 times, ''birth certificates'' 3 times, ''marriage certificates'' twice"}, {"code": "theme:legal_aid", "reason": "in the title (''legal assistance''); mentions ''legal assistance'' 3 times, ''courts'' once"}, {"code": "theme:durable_solutions", "reason": "mentions ''durable solutions'' twice, ''return areas'' once, ''return'' once"}, {"code": "theme:freedom_of_movement", "reason": "mentions ''security clearance'' twice, ''checkpoints'' once"}], "population": [{"code": "population:idp", "reason": "in the title (''IDPs''); mentions ''IDPs'' once, ''displaced'' once, ''displaced families'' once"}, {"code": "population:returnees", "reason": "in the title (''returnees''); mentions ''returnees'' once, ''returnee families'' once"}, {"code": "population:children", "reason": "mentions ''children'' 3 times"}], "location": [{"code": "location:IQG01", "reason": "in the title (''Anbar''); mentions ''Anbar'' 3 times"}, {"code": "location:IQG08", "reason": "in the title (''Baghdad''); mentions ''Baghdad'' 3 times"}, {"code": "location:IQG11", "reason": "in the title (''Erbil''); mentions ''Erbil'' 3 times"}]}','en','Missing civil documentation among IDPs and returnees in Anbar, Baghdad and Erbil: analysis of the legal assistance caseload, 2024
NRC - Norwegian Refugee Council | 2025-03-27
Introduction
Years after the end of large-scale military operations, missing civil documentation continues to prevent many displaced and returnee families in Iraq from moving freely, accessing services and finding durable solutions. This analysis draws on the anonymised caseload of NRC''s legal assistance programme in Anbar, Baghdad and Erbil governorates in 2024, covering 6,150 closed cases.
Which documents are missing
The unified national card is the document most frequently requested, followed by birth certificates for children born in areas formerly under the control of armed groups, and marriage certificates issued by non-state courts that need to be validated. Death certificates are frequently needed to settle inheritance and to register children whose fathers are missing.
Document	Anbar	Baghdad	Erbil	Total
Unified national card	1,020	640	410	2,070
Birth certificate	780	390	350	1,520
Marriage certificate (validation)	510	220	190	920
Death certificate	460	280	150	890
Other	330	260	160	750
Total	3,100	1,790	1,260	6,150
Why replacement is difficult
Families report three main obstacles. First, security clearance: applicants with a perceived affiliation to armed groups, often because of a relative, face lengthy or refused clearance. Second, cost: travel to the civil affairs office in the district of origin, fees and the required witnesses are beyond the means of many households. Third, information: applicants do not know which documents are required and are often sent back several times.
Consequences
Without documents, adults cannot move through checkpoints, apply for jobs in the public sector or receive social protection payments. Children without birth certificates are at risk of exclusion from school and, later, of statelessness. In return areas, missing documents also block compensation claims for destroyed property, which in turn delays return or makes it unsustainable.
Recommendations
The authorities should expand mobile civil documentation missions to camps and informal settlements, clarify and shorten security clearance procedures, and waive fees for displaced families. Donors should sustain funding for legal assistance, which remains a precondition for access to most other durable solutions programmes. Partners should refer documentation cases early and share anonymised caseload figures to support joint advocacy.','ok',NULL,NULL);
CREATE TABLE index_outbox (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	document_id INTEGER, 
	op VARCHAR(20) NOT NULL, 
	created_at DATETIME NOT NULL
);
CREATE TABLE org_grants (
	document_id INTEGER NOT NULL, 
	org_id INTEGER NOT NULL, 
	PRIMARY KEY (document_id, org_id), 
	FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE, 
	FOREIGN KEY(org_id) REFERENCES organisations (id)
);
INSERT INTO "org_grants" VALUES(2,2);
INSERT INTO "org_grants" VALUES(2,3);
CREATE TABLE organisations (
	id INTEGER NOT NULL, 
	acronym VARCHAR(32) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (acronym)
);
INSERT INTO "organisations" VALUES(1,'PSWG','Protection Sector Working Group (Libya)','2026-12-03 09:54:20.640873');
INSERT INTO "organisations" VALUES(2,'UNHCR','Office of the United Nations High Commissioner for Refugees','2026-12-03 09:54:20.645317');
INSERT INTO "organisations" VALUES(3,'IOM','International Organization for Migration','2026-12-03 09:54:20.688892');
INSERT INTO "organisations" VALUES(4,'DRC','Danish Refugee Council','2026-12-03 09:54:20.698764');
INSERT INTO "organisations" VALUES(5,'IRC','International Rescue Committee','2026-12-03 09:54:20.706642');
INSERT INTO "organisations" VALUES(6,'NRC','Norwegian Refugee Council','2026-12-03 09:54:20.710326');
INSERT INTO "organisations" VALUES(7,'UNMAS','United Nations Mine Action Service','2026-12-03 09:54:20.714295');
INSERT INTO "organisations" VALUES(8,'FHO','Fezzan Humanitarian Organisation','2026-12-03 09:54:20.718355');
INSERT INTO "organisations" VALUES(9,'CSA','Coastal Solidarity Association','2026-12-03 09:54:20.722503');
CREATE TABLE recovery_codes (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	code_hash VARCHAR(64) NOT NULL, 
	used_at DATETIME, 
	PRIMARY KEY (id), 
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE TABLE stored_files (
	sha256 VARCHAR(64) NOT NULL, 
	size BIGINT NOT NULL, 
	mime VARCHAR(120) NOT NULL, 
	stored_at DATETIME NOT NULL, 
	PRIMARY KEY (sha256)
);
INSERT INTO "stored_files" VALUES('de5985eda8c8bff2f36ab590565e3e960f4dd1b956e7b3d06beb6d5e89ed2996',5358,'application/pdf','2026-12-03 09:54:22.895121');
INSERT INTO "stored_files" VALUES('c367ddd447c6644eda277947b3a5560cc4610778187813c74327bf12bfdd81c0',4446,'application/pdf','2026-12-03 09:54:23.499621');
INSERT INTO "stored_files" VALUES('f14adf6cf2f537ee884cb842bce9cd86004120d78cd96fd4aa11f1726899f70c',4045,'application/pdf','2026-12-03 09:54:23.931517');
INSERT INTO "stored_files" VALUES('b107176817f5913fe3db6e12f0bb02d32dd497f8037d37479a71273884a054ca',7532,'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet','2026-12-03 09:54:24.699054');
INSERT INTO "stored_files" VALUES('e662919bec1fe820c7a9d77cdd864fb37836fbe195cbabadd380d011e8bdbee0',38718,'application/vnd.openxmlformats-officedocument.wordprocessingml.document','2026-12-03 09:54:25.191198');
INSERT INTO "stored_files" VALUES('7f8c5ef8301c23e82c01e8fa39d50b4d391a03cf5ae134e662dc2d93725ae91b',38739,'application/vnd.openxmlformats-officedocument.wordprocessingml.document','2026-12-03 09:54:25.866305');
INSERT INTO "stored_files" VALUES('2fabe7e22e628c5ad1aa3d0e3068a5bdd2fc928a77f554a50a40ca3575de98b6',3947,'application/pdf','2026-12-03 09:54:26.701126');
INSERT INTO "stored_files" VALUES('e8a1ae40498ec1ce8e7c0d9140c2f7232d62198c2db1ab0fec509f6957ca76af',3285,'application/pdf','2026-12-03 09:54:27.312391');
INSERT INTO "stored_files" VALUES('01d9a08ac6f32c98760da0cb6d39bf5e330152e0b3340bf518bccd1c75edaa36',47504,'application/pdf','2026-12-03 09:54:28.867063');
INSERT INTO "stored_files" VALUES('8e0c91bc215f95058a1eca8032b27cdfd45584d88815d2561a97e28cfca91c9d',38839,'application/vnd.openxmlformats-officedocument.wordprocessingml.document','2026-12-03 09:54:29.648876');
INSERT INTO "stored_files" VALUES('5daa47ea89ff22d1378012cd85f9c194b40e1fc7f3d6cc171f3821dcb0733e44',38458,'application/vnd.openxmlformats-officedocument.wordprocessingml.document','2026-12-03 09:54:30.359014');
INSERT INTO "stored_files" VALUES('12a73331ad6daab8cae4fb97ff324d78f20860bfac0dbf21219da3120bddcefe',3439,'application/pdf','2026-12-03 09:54:30.913618');
INSERT INTO "stored_files" VALUES('5e52b50173de6f5702c74f3fbf028d8f7707f048971b726a2e56bbfca6ce1684',7261,'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet','2026-12-03 09:54:31.565663');
INSERT INTO "stored_files" VALUES('6fbc91711682fc0cc228bf997347d270628538a1aaa99ce46d96dcfbb26c2d0c',3070,'application/pdf','2026-12-03 09:54:32.301197');
INSERT INTO "stored_files" VALUES('51d5defd754c9fea220a354063ba6b38904e73eb4151e334a4e950fccbd1e4c2',38367,'application/vnd.openxmlformats-officedocument.wordprocessingml.document','2026-12-03 09:54:32.859119');
CREATE TABLE user_grants (
	document_id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	PRIMARY KEY (document_id, user_id), 
	FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE, 
	FOREIGN KEY(user_id) REFERENCES users (id)
);
INSERT INTO "user_grants" VALUES(11,4);
CREATE TABLE users (
	id INTEGER NOT NULL, 
	email VARCHAR(254) NOT NULL, 
	password_hash VARCHAR(255) NOT NULL, 
	role VARCHAR(20) NOT NULL, 
	org_id INTEGER NOT NULL, 
	active BOOLEAN NOT NULL, 
	session_version INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	totp_secret VARCHAR(64), 
	totp_confirmed_at DATETIME, 
	totp_last_step BIGINT, 
	PRIMARY KEY (id), 
	UNIQUE (email), 
	FOREIGN KEY(org_id) REFERENCES organisations (id)
);
INSERT INTO "users" VALUES(1,'coordinator@pswg.example.org','scrypt:32768:8:1$Ndd9JSlde94HYEbr$d030aecccbea435eb2ebe63b73e7c7bf2b2a4af52ccbf8d004f73fa35b865c5e1ae50a312ac2e854da6805101bd9da84c162d61777fb9a1e50eb12ce7f27cc67','coordinator',1,1,1,'2026-12-03 09:54:20.869313',NULL,NULL,NULL);
INSERT INTO "users" VALUES(2,'admin@pswg.example.org','scrypt:32768:8:1$GpaIz0ZImr3BSTNT$b29bfae47e0bb0311a3e7d1820682817df76349497978aee042148676819715df46fb9a58de94f513bdbbdc50e60771eb155a1e0dff4c7b600b760b85029932e','admin',1,1,1,'2026-12-03 09:54:21.046194',NULL,NULL,NULL);
INSERT INTO "users" VALUES(3,'staff@unhcr.example.org','scrypt:32768:8:1$2sdZa2x4GbiBtVVp$59a394e75ec98be28bd9790db7ffee3bc926fe2de5d8d8225570383ac382cc884e12319e693fe6208e2d33970217df4bd63e89185e058c798dd4e30965997b85','staff',2,1,1,'2026-12-03 09:54:21.188290',NULL,NULL,NULL);
INSERT INTO "users" VALUES(4,'case.officer@unhcr.example.org','scrypt:32768:8:1$bzAxmqOnT5msCnko$d2bffe5fad19ec0206ca16f28ae1053f9026bc71c630ac105e8c18cec23cc7f441c5e28612a9ee37e90a571142eb006c70265e9a8cc8788893fd1eede2f7841c','staff',2,1,1,'2026-12-03 09:54:21.306082',NULL,NULL,NULL);
INSERT INTO "users" VALUES(5,'partner@drc.example.org','scrypt:32768:8:1$EC8Zs4WVz3nQvUqT$4e304585170ba86c0c621b32c7f6e291784b705c24106d038bd83dc82ab491134487eee7784c97ab3b1de6534f19dd688b0916498b2725efed53f40fb9fcefaa','partner',4,1,1,'2026-12-03 09:54:21.423907',NULL,NULL,NULL);
INSERT INTO "users" VALUES(6,'partner@irc.example.org','scrypt:32768:8:1$gnTWBA6oFuGUCaFG$5f88c2855a433fa7e930030b8ebb0304b223513bfc1bc76a95afdbb04e2e93e727c3b8f0a6f466e5655bda4af36837b568ad5a7ca438f6f3f752f0f5fa6b7d85','partner',5,1,1,'2026-12-03 09:54:21.565393',NULL,NULL,NULL);
INSERT INTO "users" VALUES(7,'partner@nrc.example.org','scrypt:32768:8:1$nOGQwEl3kR7Of2NS$7a32f57a3e83416f98a373b6427a6fd157369302daa54ff4b8bf58de17a19d407e54f1dd43054649bc5d1dd727a898045f43a6ba4d46e34789c72d1e6f8aa8bb','partner',6,1,1,'2026-12-03 09:54:21.684127',NULL,NULL,NULL);
INSERT INTO "users" VALUES(8,'partner@iom.example.org','scrypt:32768:8:1$4Y2QlSnev29i7NMK$aed8e29ca03386bad112f268162b30d6e5edae54740ef610a6522c7bf53513d2916c81e2a4243453611b0919b0cc10f079b7baa7fe44e3f5d5db58e8756d1f5a','partner',3,1,1,'2026-12-03 09:54:21.801265',NULL,NULL,NULL);
INSERT INTO "users" VALUES(9,'partner@unmas.example.org','scrypt:32768:8:1$T7TllV2BH1diwEwq$f576572674f8b5c1cb60db1ce1a394021f8d8d6113cea8e079449d4fa7ac5ecf382359f57c61172e584122d9d8334e1f4b8826a521d57e1b16087d7e87620c0f','partner',7,1,1,'2026-12-03 09:54:21.915813',NULL,NULL,NULL);
INSERT INTO "users" VALUES(10,'partner@fho.example.org','scrypt:32768:8:1$mOqgUosZZP5rXTEX$021f8aa8fbca520bd68dfcbb492d136523673706a8667cbd00364ddcdcfc18069df791f5bc8552d4f27521e9b431e588ed6016ceae3e6917f8f12d641fd54c73','partner',8,1,1,'2026-12-03 09:54:22.058778',NULL,NULL,NULL);
INSERT INTO "users" VALUES(11,'partner@csa.example.org','scrypt:32768:8:1$07xuujkaPsqiPgzP$14f5865f0e35e39c7f805ef8d034d753e56ad9afbd4bf953ffb2581808f8c843ef7e4fd36dcf6cd7ca53ae48d51572100aabe9529682cd26fb3c5e14b8a4e98c','partner',9,1,1,'2026-12-03 09:54:22.287443',NULL,NULL,NULL);
CREATE INDEX ix_audit_events_at ON audit_events (at);
CREATE INDEX ix_audit_events_document_id ON audit_events (document_id);
CREATE INDEX ix_audit_events_actor_id ON audit_events (actor_id);
CREATE INDEX ix_audit_events_action ON audit_events (action);
CREATE INDEX ix_index_outbox_document_id ON index_outbox (document_id);
CREATE INDEX ix_recovery_codes_user_id ON recovery_codes (user_id);
CREATE INDEX ix_documents_uploaded_at ON documents (uploaded_at);
CREATE INDEX ix_documents_org_id ON documents (org_id);
CREATE INDEX ix_documents_uploaded_by_id ON documents (uploaded_by_id);
CREATE INDEX ix_documents_state ON documents (state);
CREATE INDEX ix_decisions_document_id ON decisions (document_id);
CREATE INDEX ix_comments_document_id ON comments (document_id);
DELETE FROM "sqlite_sequence";
INSERT INTO "sqlite_sequence" VALUES('index_outbox',29);
COMMIT;
