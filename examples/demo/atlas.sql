-- Written by examples/demo/generate-hr.ts: the Atlas application's tables and the rows it holds
-- before Ordo manages it. `ordo demo` runs this into the SQLite file of the Atlas connection.
CREATE TABLE accounts (
  login TEXT PRIMARY KEY,
  employee_id TEXT,
  display_name TEXT,
  mail TEXT,
  department TEXT
);
CREATE TABLE groups (
  name TEXT PRIMARY KEY,
  description TEXT
);
CREATE TABLE account_groups (
  account_login TEXT NOT NULL REFERENCES accounts (login),
  group_name TEXT NOT NULL REFERENCES groups (name),
  PRIMARY KEY (account_login, group_name)
);
INSERT INTO groups VALUES ('staff', 'Every employee');
INSERT INTO groups VALUES ('engineering', 'Engineering tools');
INSERT INTO groups VALUES ('managers', 'People managers');
INSERT INTO groups VALUES ('finance-approvers', 'May approve invoices');
INSERT INTO groups VALUES ('atlas-admins', 'Atlas administrators');
INSERT INTO accounts VALUES ('nina.durand', 'E00005', 'NINA DURAND', 'nina.durand@example.org', 'Engineering');
INSERT INTO accounts VALUES ('francois.bernard', 'E00020', 'FRANÇOIS BERNARD', 'francois.bernard@example.org', 'Engineering');
INSERT INTO accounts VALUES ('loic.lowe', 'E00035', 'LOÏC LÖWE', 'loic.lowe@example.org', 'Engineering');
INSERT INTO accounts VALUES ('noemie.belanger', 'E00050', 'NOÉMIE BÉLANGER', 'noemie.belanger@example.org', 'Engineering');
INSERT INTO accounts VALUES ('david.lowe', 'E00065', 'DAVID LÖWE', 'david.lowe@example.org', 'Engineering');
INSERT INTO accounts VALUES ('jules.belanger', 'E00080', 'JULES BÉLANGER', 'jules.belanger@example.org', 'Sales');
INSERT INTO accounts VALUES ('soren.simon', 'E00095', 'SØREN SIMON', 'soren.simon@example.org', 'Sales');
INSERT INTO accounts VALUES ('anais.simek', 'E00110', 'ANAÏS ŠIMEK', 'anais.simek@example.org', 'Sales');
INSERT INTO accounts VALUES ('noemie.girard', 'E00125', 'NOÉMIE GIRARD', 'noemie.girard@example.org', 'Finance');
INSERT INTO accounts VALUES ('bruno.fournier', 'E00140', 'BRUNO FOURNIER', 'bruno.fournier@example.org', 'Finance');
INSERT INTO accounts VALUES ('matheo.garcia', 'E00155', 'MATHÉO GARCÍA', 'matheo.garcia@example.org', 'Marketing');
INSERT INTO accounts VALUES ('raphael.petit', 'E00170', 'RAPHAËL PETIT', 'raphael.petit@example.org', 'Marketing');
INSERT INTO accounts VALUES ('bjorn.dupre', 'E00185', 'BJÖRN DUPRÉ', 'bjorn.dupre@example.org', 'Operations');
INSERT INTO accounts VALUES ('aurelie.petit', 'E00200', 'AURÉLIE PETIT', 'aurelie.petit@example.org', 'Operations');
INSERT INTO accounts VALUES ('noemie.nunez', 'E00215', 'NOÉMIE NÚÑEZ', 'noemie.nunez@example.org', 'Operations');
INSERT INTO accounts VALUES ('bruno.laurent', 'E00230', 'BRUNO LAURENT', 'bruno.laurent@example.org', 'Human Resources');
INSERT INTO accounts VALUES ('emilie.fournier', 'E00245', 'ÉMILIE FOURNIER', 'emilie.fournier@example.org', 'Human Resources');
INSERT INTO accounts VALUES ('jules.besancon', 'E00260', 'JULES BESANÇON', 'jules.besancon@example.org', 'Support');
INSERT INTO accounts VALUES ('bjorn.girard', 'E00275', 'BJÖRN GIRARD', 'bjorn.girard@example.org', 'Support');
INSERT INTO accounts VALUES ('jerome.moreau', 'E00290', 'JÉRÔME MOREAU', 'jerome.moreau@example.org', 'Legal');
INSERT INTO accounts VALUES ('zoe.dupre', 'E00067', 'Zoé Dupré', NULL, 'Engineering');
INSERT INTO accounts VALUES ('lea.nunez', 'E00134', 'Léa Núñez', NULL, 'Finance');
INSERT INTO accounts VALUES ('temp.contractor', NULL, 'Temporary contractor', NULL, NULL);
INSERT INTO accounts VALUES ('svc.backup', NULL, 'Backup service', NULL, NULL);
INSERT INTO accounts VALUES ('adm-legacy', NULL, 'Old administrator', NULL, NULL);
INSERT INTO account_groups VALUES ('nina.durand', 'staff');
INSERT INTO account_groups VALUES ('francois.bernard', 'staff');
INSERT INTO account_groups VALUES ('loic.lowe', 'staff');
INSERT INTO account_groups VALUES ('noemie.belanger', 'staff');
INSERT INTO account_groups VALUES ('david.lowe', 'staff');
INSERT INTO account_groups VALUES ('jules.belanger', 'staff');
INSERT INTO account_groups VALUES ('soren.simon', 'staff');
INSERT INTO account_groups VALUES ('anais.simek', 'staff');
INSERT INTO account_groups VALUES ('noemie.girard', 'staff');
INSERT INTO account_groups VALUES ('bruno.fournier', 'staff');
INSERT INTO account_groups VALUES ('matheo.garcia', 'staff');
INSERT INTO account_groups VALUES ('raphael.petit', 'staff');
INSERT INTO account_groups VALUES ('bjorn.dupre', 'staff');
INSERT INTO account_groups VALUES ('aurelie.petit', 'staff');
INSERT INTO account_groups VALUES ('noemie.nunez', 'staff');
INSERT INTO account_groups VALUES ('bruno.laurent', 'staff');
INSERT INTO account_groups VALUES ('emilie.fournier', 'staff');
INSERT INTO account_groups VALUES ('jules.besancon', 'staff');
INSERT INTO account_groups VALUES ('bjorn.girard', 'staff');
INSERT INTO account_groups VALUES ('jerome.moreau', 'staff');
INSERT INTO account_groups VALUES ('zoe.dupre', 'staff');
INSERT INTO account_groups VALUES ('lea.nunez', 'staff');
INSERT INTO account_groups VALUES ('temp.contractor', 'staff');
INSERT INTO account_groups VALUES ('adm-legacy', 'atlas-admins');
